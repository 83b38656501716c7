#!/usr/bin/env python3
"""Does the augmentation help drawn digits without costing test accuracy?

    python benchmarks/augment_benchmark.py [--data-dir DIR] [--epochs 50] [--drawn 2000]
                                           [MANIFEST_DISTORT MANIFEST_SHIFT MANIFEST_NONE]

Trains the default MLP with each augmentation recipe (--augment-recipe distort, the
default; --augment-recipe shift, the shifts-only recipe before issue 16; --no-augment) or
reads three existing exports in that order, and scores each final snapshot, as the page
would run it (float16 weights), on the MNIST test set and on "drawn-like" versions of it:
  - page-preprocessed: every test digit put through the page's preprocessing
    (training/toolkit/preprocess.py, the page's own steps: crop to the ink, fit a 20×20
    box, centre of mass at the centre, thicken hair-thin strokes) — a drawing's path;
  - shifted ±3 px: off-centre digits, as when the page shows the raw, uncentred drawing;
  - thicker strokes: one pixel of dilation, like a broad brush;
  - thinner strokes: one pixel of erosion, like a fine pen;
  - drawn digits: benchmarks/drawn_digits.py's strokes of held-out test digits (half of
    them fast scribbles), replayed in Node through the page's brush and preprocessing."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import torch  # noqa: E402
from safetensors.torch import load_file  # noqa: E402

sys.path.insert(0, str(REPO / "benchmarks"))
from drawn_digits import replay  # noqa: E402
from drawn_strokes import split_indices, stroke_set  # noqa: E402

from training.mnist_data import load_mnist  # noqa: E402
from training.normalisation import normalise  # noqa: E402
from training.toolkit.preprocess import page_preprocess as toolkit_preprocess  # noqa: E402

SIDE = 28


def page_preprocess(image: np.ndarray) -> np.ndarray:
    """The page's preprocessing of one uint8 digit, back to uint8."""
    return np.clip(np.round(toolkit_preprocess(image / 255.0) * 255), 0, 255).astype(np.uint8)


def shifted(images: np.ndarray, rng: np.random.Generator, max_shift: int = 3) -> np.ndarray:
    out = np.zeros_like(images)
    padded = np.pad(images, ((0, 0), (max_shift,) * 2, (max_shift,) * 2))
    for index, (dy, dx) in enumerate(rng.integers(0, 2 * max_shift + 1, (len(images), 2))):
        out[index] = padded[index, dy : dy + SIDE, dx : dx + SIDE]
    return out


def neighbourhood(images: np.ndarray, reduce) -> np.ndarray:
    """Pixel-wise max (dilation) or min (erosion) over each pixel's 4-neighbourhood."""
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    views = [
        padded[:, 1 + dy : 1 + dy + SIDE, 1 + dx : 1 + dx + SIDE]
        for dy, dx in ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))
    ]
    return reduce(np.stack(views), axis=0)


def accuracy(manifest_path: Path, images: np.ndarray, labels: np.ndarray) -> float:
    manifest = json.loads(manifest_path.read_text())
    tensors = load_file(manifest_path.parent / manifest["timeline"][-1]["file"])
    x = normalise(images)
    model = manifest["model"]  # format 2 lists the MLP's linear layers; format 1 gave their sizes
    layers = len(model["layers"]) if "layers" in model else len(model["layer_sizes"]) - 1
    for i in range(layers):
        x = x @ tensors[f"layers.{i}.weight"].float().T + tensors[f"layers.{i}.bias"].float()
        if i < layers - 1:
            x = torch.relu(x)
    return (x.argmax(1).numpy() == labels).mean()


RECIPES = {"distort": ["--augment-recipe", "distort"], "shift": ["--augment-recipe", "shift"], "none": ["--no-augment"]}


def train(folder: Path, data_dir: Path, epochs: int, recipe: str) -> Path:
    manifest = folder / f"{recipe}.json"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "training" / "mlp_train.py"),
            "--data-dir",
            str(data_dir),
            "--epochs",
            str(epochs),
            *RECIPES[recipe],
            "--export-path",
            str(manifest),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return manifest


def drawn_accuracy(manifests: list[Path], mnist, count: int, folder: Path) -> list[float]:
    """Each export's share of benchmarks/drawn_digits.py's drawings read correctly."""
    strokes = stroke_set(mnist.test_images, mnist.test_labels, split_indices("bench")[:count], seed=1)
    path = folder / "strokes.json"
    path.write_text(json.dumps(strokes))
    labels = np.array([drawing["label"] for drawing in strokes["strokes"]])
    return [float((np.array(e["predictions"]) == labels).mean()) for e in replay(path, manifests)["exports"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifests", nargs="*", type=Path, help="distort, shift and no-augment exports to compare")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MNIST_DIR", REPO / "data" / "mnist")))
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--drawn", type=int, default=2000, help="drawn digits to score (default 2000)")
    args = parser.parse_args()
    if args.manifests and len(args.manifests) != len(RECIPES):
        parser.error(f"give {len(RECIPES)} manifests ({', '.join(RECIPES)}) or none")

    mnist = load_mnist(args.data_dir)
    images, labels = mnist.test_images, mnist.test_labels
    variants = {
        "MNIST test set": images,
        "page-preprocessed": np.stack([page_preprocess(image) for image in images]),
        "shifted ±3 px": shifted(images, np.random.default_rng(0)),
        "thicker strokes": neighbourhood(images, np.max),
        "thinner strokes": neighbourhood(images, np.min),
    }
    with tempfile.TemporaryDirectory() as folder:
        manifests = args.manifests or [train(Path(folder), args.data_dir, args.epochs, recipe) for recipe in RECIPES]
        print(f"{'test digits':<20}" + "".join(f"{recipe:>10}" for recipe in RECIPES))
        for name, variant in variants.items():
            print(f"{name:<20}" + "".join(f"{accuracy(path, variant, labels):>10.2%}" for path in manifests))
        drawn = drawn_accuracy(manifests, mnist, args.drawn, Path(folder))
        print(f"{'drawn digits':<20}" + "".join(f"{share:>10.2%}" for share in drawn))


if __name__ == "__main__":
    main()
