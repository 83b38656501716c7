"""Pointer strokes from held-out MNIST digits, drawn the ways visitors draw on the pad.

Each digit's centre lines are traced into pen strokes (training/stroke_trace.py, shared
with the training augmentation) and replayed on the page's 280×280 pad with what varies
between visitors: brush diameter over the page's whole range (8–44 px), digit height 70–240 px anywhere on the pad,
rotation ±12°, slant ±0.3, aspect 0.75–1.25, and speed — a "fast" drawing keeps only 8
pointer events per digit, which the pad joins by straight segments (model/brush.js
`paintStroke`), a "smooth" one an event every 3 px.

Which digits: MNIST's test set, split once by a fixed permutation (seed 16). The first
2000 of it are the development digits — every choice (augmentation, the stroke-width
target) was tried on strokes made from those only; the benchmark reports on the other
8000, never used for a choice. The network never trained on either (training uses the
60000 training digits only)."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from training.stroke_trace import digit_lines, line_length, resample  # noqa: E402

PAD = 280
BRUSH = (8, 44)  # index.html #brush-size min/max
FAST_POINTS = 8
SMOOTH_STEP = 3.0
SPLIT_SEED, DEV_COUNT = 16, 2000


def split_indices(split: str) -> np.ndarray:
    """Test-set indices of the development ("dev") or benchmark ("bench") digits."""
    order = np.random.default_rng(SPLIT_SEED).permutation(10000)
    return order[:DEV_COUNT] if split == "dev" else order[DEV_COUNT:]


def drawing(image: np.ndarray, rng: np.random.Generator, fast: bool) -> dict | None:
    """One visitor's drawing of the digit: brush, pointer events per stroke (pad pixels)."""
    lines = digit_lines(image)
    if not lines:
        return None
    points = np.vstack(lines)
    centre = (points.min(0) + points.max(0)) / 2
    angle = math.radians(rng.uniform(-12, 12))
    rotate = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    shape = np.array([[rng.uniform(0.75, 1.25), rng.uniform(-0.3, 0.3)], [0.0, 1.0]])  # aspect, slant
    matrix = rotate @ shape
    moved = [(line - centre) @ matrix.T for line in lines]
    every = np.vstack(moved)
    brush = int(rng.integers(BRUSH[0], BRUSH[1] + 1))
    extent = every.max(0) - every.min(0)
    height = rng.uniform(70, 240)
    scale = min(height / max(extent[1], 1e-6), (PAD - 30 - brush) / max(extent.max(), 1e-6))
    low, high = every.min(0) * scale, every.max(0) * scale
    margin = brush / 2 + 1
    offset = np.array([rng.uniform(margin - low[i], PAD - margin - high[i]) for i in range(2)])
    placed = [line * scale + offset for line in moved]
    if fast:
        total = sum(line_length(line) for line in placed)
        counts = [max(2, round(FAST_POINTS * line_length(line) / total)) if total else 1 for line in placed]
    else:
        counts = [max(2, math.ceil(line_length(line) / SMOOTH_STEP) + 1) for line in placed]
    events = [np.round(resample(line, count), 1).tolist() for line, count in zip(placed, counts)]
    return {"brush": brush, "fast": fast, "lines": events}


def stroke_set(images: np.ndarray, labels: np.ndarray, indices: np.ndarray, seed: int) -> dict:
    """Drawings of the test digits `indices` (alternately fast and smooth), as the JSON
    benchmarks/drawn-digits.mjs reads."""
    rng = np.random.default_rng(seed)
    strokes = []
    for n, index in enumerate(indices):
        made = drawing(images[index], rng, fast=n % 2 == 0)
        if made:
            strokes.append({"label": int(labels[index]), "test_index": int(index), **made})
    return {"pad": [PAD, PAD], "source": "MNIST test digits, benchmarks/drawn_strokes.py", "strokes": strokes}
