"""Pointer strokes from held-out MNIST digits, drawn the ways visitors draw on the pad.

Each digit is skeletonised (at 4× resolution, so the centre line is smooth), the skeleton
is traced into polylines (junctions split them, spurs shorter than a pixel of the original
digit are dropped, lines meeting end to end are chained into one pen stroke) and the
polylines are replayed on the page's 280×280 pad with what varies between visitors: brush
diameter over the page's whole range (8–44 px), digit height 70–240 px anywhere on the pad,
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

import numpy as np
from scipy import ndimage
from skimage.morphology import skeletonize

PAD = 280
BRUSH = (8, 44)  # index.html #brush-size min/max
FAST_POINTS = 8
SMOOTH_STEP = 3.0
UPSAMPLE = 4
SPLIT_SEED, DEV_COUNT = 16, 2000


def split_indices(split: str) -> np.ndarray:
    """Test-set indices of the development ("dev") or benchmark ("bench") digits."""
    order = np.random.default_rng(SPLIT_SEED).permutation(10000)
    return order[:DEV_COUNT] if split == "dev" else order[DEV_COUNT:]


def _neighbours(pixel: tuple[int, int], pixels: set) -> list[tuple[int, int]]:
    """8-neighbours on the skeleton, without a diagonal step that a shared 4-neighbour
    already connects (those make little triangles that are not junctions)."""
    r, c = pixel
    straight = [(r + dr, c + dc) for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)) if (r + dr, c + dc) in pixels]
    out = list(straight)
    for dr, dc in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
        q = (r + dr, c + dc)
        if q in pixels and (r + dr, c) not in pixels and (r, c + dc) not in pixels:
            out.append(q)
    return out


def _trace(pixels: set) -> list[list[tuple[int, int]]]:
    """The skeleton as paths between junctions/ends, then any closed loops."""
    links = {p: _neighbours(p, pixels) for p in pixels}
    nodes = {p for p, n in links.items() if len(n) != 2}
    used: set[frozenset] = set()
    paths = []

    def walk(start, first):
        path, previous, current = [start, first], start, first
        used.add(frozenset((start, first)))
        while current not in nodes and current != start:
            step = [q for q in links[current] if q != previous and frozenset((current, q)) not in used]
            if not step:
                break
            used.add(frozenset((current, step[0])))
            previous, current = current, step[0]
            path.append(current)
        return path

    for start in sorted(nodes) + sorted(pixels - nodes):  # loops (a 0, an o) have no node
        for first in links[start]:
            if frozenset((start, first)) not in used:
                paths.append(walk(start, first))
    return paths


def _chain(paths: list[np.ndarray], reach: float = 1.5) -> list[np.ndarray]:
    """Join paths that meet end to end into longer pen strokes, longest first."""
    pool = sorted(paths, key=len, reverse=True)
    strokes = []
    while pool:
        stroke = pool.pop(0)
        joined = True
        while joined:
            joined = False
            for i, path in enumerate(pool):
                for candidate in (path, path[::-1]):
                    if np.hypot(*(candidate[0] - stroke[-1])) <= reach:
                        stroke = np.vstack([stroke, candidate[1:]])
                        pool.pop(i)
                        joined = True
                        break
                if joined:
                    break
        strokes.append(stroke)
    return strokes


def digit_lines(image: np.ndarray) -> list[np.ndarray]:
    """The digit's centre lines as polylines [(x, y), …] in its 28×28 pixel coordinates."""
    large = ndimage.zoom(image.astype(np.float64) / 255.0, UPSAMPLE, order=1)
    skeleton = skeletonize(large > 0.5)
    pixels = {(int(r), int(c)) for r, c in zip(*np.nonzero(skeleton))}
    if not pixels:
        return []
    paths = [np.array([(c + 0.5, r + 0.5) for r, c in path]) / UPSAMPLE for path in _trace(pixels)]
    if len(paths) > 1:
        paths = [p for p in paths if _length(p) >= 1.0] or paths  # spurs of the skeleton, not strokes
    return _chain(paths, reach=1.5 / UPSAMPLE)


def _length(line: np.ndarray) -> float:
    return float(np.hypot(*np.diff(line, axis=0).T).sum()) if len(line) > 1 else 0.0


def _resample(line: np.ndarray, count: int) -> np.ndarray:
    """`count` points evenly spaced along the polyline, its ends included."""
    steps = np.hypot(*np.diff(line, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] == 0:
        return line[:1]
    at = np.linspace(0.0, along[-1], count)
    return np.stack([np.interp(at, along, line[:, 0]), np.interp(at, along, line[:, 1])], axis=1)


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
        total = sum(_length(line) for line in placed)
        counts = [max(2, round(FAST_POINTS * _length(line) / total)) if total else 1 for line in placed]
    else:
        counts = [max(2, math.ceil(_length(line) / SMOOTH_STEP) + 1) for line in placed]
    events = [np.round(_resample(line, count), 1).tolist() for line, count in zip(placed, counts)]
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
