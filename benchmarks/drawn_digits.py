#!/usr/bin/env python3
"""How well does an export read digits drawn on the pad — fast scribbles included?

    python benchmarks/drawn_digits.py --export exports/mlp_weights.json [--export B …]
        [--data-dir DIR] [--count 2000] [--split bench|dev] [--seed 1] [--snapshot N]
        [--strokes FILE] [--save-strokes FILE]

Makes pointer strokes from held-out MNIST test digits (benchmarks/drawn_strokes.py says
how, and which digits are held out), replays them in Node through the page's own brush,
preprocessing and forward pass (benchmarks/drawn-digits.mjs), and prints accuracy overall,
for fast and smooth drawings, per class and the most common confusions, one column per
export (format 1 or 2, MLP or CNN). --strokes scores a saved stroke set instead (e.g.
tests/fixtures/drawn_digits.json, the test suite's); --save-strokes writes the set made."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from drawn_strokes import FAST_POINTS, split_indices, stroke_set  # noqa: E402

from training.mnist_data import DataError, load_mnist  # noqa: E402
from training.toolkit.atomic import check_output_file, write_bytes  # noqa: E402
from training.toolkit.errors import ToolError  # noqa: E402

REPLAY = REPO / "benchmarks" / "drawn-digits.mjs"


def replay(strokes_path: Path, manifests: list[Path], snapshot: int | None = None, images: bool = False) -> dict:
    """benchmarks/drawn-digits.mjs's JSON for these strokes and exports; exits with its message on failure."""
    command = ["node", str(REPLAY), str(strokes_path), *map(str, manifests)]
    if snapshot is not None:
        command += ["--snapshot", str(snapshot)]
    if images:
        command.append("--images")
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"error: {done.stderr.strip() or 'drawn-digits.mjs failed'}")
    return json.loads(done.stdout)


def scores(labels: np.ndarray, predictions: np.ndarray, fast: np.ndarray) -> dict:
    """Overall, fast/smooth, per-class accuracy and (true, read) confusion counts."""
    right = predictions == labels
    return {
        "all": right.mean(),
        "fast": right[fast].mean() if fast.any() else float("nan"),
        "smooth": right[~fast].mean() if (~fast).any() else float("nan"),
        "classes": [right[labels == digit].mean() if (labels == digit).any() else float("nan") for digit in range(10)],
        "confusions": Counter((int(t), int(p)) for t, p in zip(labels[~right], predictions[~right])),
    }


def report(strokes: dict, result: dict) -> None:
    labels = np.array([s["label"] for s in strokes["strokes"]])
    fast = np.array([s["fast"] for s in strokes["strokes"]])
    columns = [(e["manifest"], scores(labels, np.array(e["predictions"]), fast)) for e in result["exports"]]
    width = max(14, *(len(name) for name, _ in columns))
    ms = result["preprocessMs"]
    print(f"{len(labels)} drawings ({fast.sum()} fast: {FAST_POINTS} events per digit); preprocessing {ms:.3f} ms each")
    print(" " * 14 + "".join(name.rjust(width + 2) for name, _ in columns))
    for key, title in (("all", "overall"), ("fast", "fast"), ("smooth", "smooth")):
        print(title.ljust(14) + "".join(f"{s[key]:.1%}".rjust(width + 2) for _, s in columns))
    for digit in range(10):
        row = "".join(f"{s['classes'][digit]:.1%}".rjust(width + 2) for _, s in columns)
        print(f"class {digit} ({(labels == digit).sum()})".ljust(14) + row)
    for name, s in columns:
        common = ", ".join(f"{t}→{p} ×{n}" for (t, p), n in s["confusions"].most_common(8))
        print(f"{name} confusions: {common or 'none'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--export", type=Path, action="append", required=True, help="an export's manifest (repeat to compare)"
    )
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("MNIST_DIR", REPO.parent / "shared" / "data" / "mnist"))
    )
    parser.add_argument("--count", type=int, default=2000, help="drawings to make (default 2000)")
    parser.add_argument(
        "--split", choices=("bench", "dev"), default="bench", help="held-out digits to draw (dev: for choices)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the drawing variations")
    parser.add_argument("--snapshot", type=int, help="timeline entry to score (default: the last; 0 = untrained)")
    parser.add_argument("--strokes", type=Path, help="score this saved stroke set instead of making one")
    parser.add_argument("--save-strokes", type=Path, help="also write the stroke set made")
    args = parser.parse_args()
    for manifest in args.export:
        if not manifest.is_file():
            raise SystemExit(f"error: --export {manifest}: no such file")
    if args.strokes:
        if not args.strokes.is_file():
            raise SystemExit(f"error: --strokes {args.strokes}: no such file")
        strokes_path = args.strokes
        strokes = json.loads(strokes_path.read_text())
    else:
        if args.count < 1:
            raise SystemExit("error: --count must be at least 1")
        try:
            mnist = load_mnist(args.data_dir)
        except DataError as error:
            raise SystemExit(f"error: {error}") from None
        indices = split_indices(args.split)[: args.count]
        strokes = stroke_set(mnist.test_images, mnist.test_labels, indices, args.seed)
        text = json.dumps(strokes, separators=(",", ":"))
        if args.save_strokes:
            try:
                write_bytes(check_output_file(args.save_strokes, ".json"), (text + "\n").encode())
            except ToolError as error:
                raise SystemExit(f"error: --save-strokes {error}") from None
        with tempfile.TemporaryDirectory() as folder:
            strokes_path = Path(folder) / "strokes.json"
            strokes_path.write_text(text)
            report(strokes, replay(strokes_path, args.export, args.snapshot))
        return
    report(strokes, replay(strokes_path, args.export, args.snapshot))


if __name__ == "__main__":
    main()
