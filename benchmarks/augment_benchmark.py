#!/usr/bin/env python3
"""Does the shift augmentation help drawn digits without costing test accuracy?

    python benchmarks/augment_benchmark.py [--data-dir DIR] [--epochs 50] [MANIFEST_ON MANIFEST_OFF]

Trains the default model with --augment and with --no-augment (or reads two existing
exports, augmented first) and scores each final snapshot, as the page would run it
(float16 weights), on the MNIST test set and on "drawn-like" versions of it:
  - page-preprocessed: every test digit put through the page's preprocessing
    (assets/js/model/preprocess.js: crop to the ink, fit a 20×20 box, centre of mass at the
    centre) — the exact path a drawing takes;
  - shifted ±3 px: off-centre digits, as when the page shows the raw, uncentred drawing;
  - thicker strokes: one pixel of dilation, like a broad brush;
  - thinner strokes: one pixel of erosion, like a fine pen."""

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

from training.mnist_data import load_mnist  # noqa: E402
from training.normalisation import normalise  # noqa: E402

SIDE, BOX, INK_THRESHOLD = 28, 20, 0.05


def axis_weights(first: int, last: int, scale: float, offset: float) -> np.ndarray:
    """[28, last-first+1] box-filter weights: how much of source pixel s lands on target t."""
    weights = np.zeros((SIDE, last - first + 1))
    for s in range(first, last + 1):
        a = (s - first) * scale + offset
        b = a + scale
        for t in range(max(0, int(np.floor(a))), min(SIDE, int(np.ceil(b)))):
            weights[t, s - first] = max(0.0, min(b, t + 1) - max(a, t))
    return weights


def page_preprocess(image: np.ndarray) -> np.ndarray:
    """assets/js/model/preprocess.js `preprocess` for one uint8 digit, back to uint8."""
    ink = image / 255.0
    rows, cols = np.nonzero(ink >= INK_THRESHOLD)
    y0, y1, x0, x1 = rows.min(), rows.max(), cols.min(), cols.max()
    crop = ink[y0 : y1 + 1, x0 : x1 + 1]
    ys, xs = np.mgrid[y0 : y1 + 1, x0 : x1 + 1] + 0.5
    centre_y, centre_x = (ys * crop).sum() / crop.sum(), (xs * crop).sum() / crop.sum()
    scale = BOX / max(x1 - x0 + 1, y1 - y0 + 1)
    out = (
        axis_weights(y0, y1, scale, SIDE / 2 - (centre_y - y0) * scale)
        @ crop
        @ axis_weights(x0, x1, scale, SIDE / 2 - (centre_x - x0) * scale).T
    )
    return np.clip(np.round(out * 255), 0, 255).astype(np.uint8)


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


def train(folder: Path, data_dir: Path, epochs: int, augment: bool) -> Path:
    manifest = folder / ("augment.json" if augment else "no_augment.json")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "training" / "mlp_train.py"),
            "--data-dir",
            str(data_dir),
            "--epochs",
            str(epochs),
            "--augment" if augment else "--no-augment",
            "--export-path",
            str(manifest),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("manifests", nargs="*", type=Path, help="augmented and non-augmented exports to compare")
    parser.add_argument("--data-dir", type=Path, default=Path(os.environ.get("MNIST_DIR", REPO / "data" / "mnist")))
    parser.add_argument("--epochs", type=int, default=50)
    args = parser.parse_args()

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
        manifests = args.manifests or [train(Path(folder), args.data_dir, args.epochs, flag) for flag in (True, False)]
        print(f"{'test digits':<20} {'--augment':>10} {'--no-augment':>13}")
        for name, variant in variants.items():
            on, off = (accuracy(path, variant, labels) for path in manifests)
            print(f"{name:<20} {on:>10.2%} {off:>13.2%}")


if __name__ == "__main__":
    main()
