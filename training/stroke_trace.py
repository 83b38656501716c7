"""The centre lines of an MNIST digit as pen strokes: shared by the drawn-digits benchmark
(benchmarks/drawn_strokes.py replays them on the pad) and the training augmentation that
renders training digits as drawn strokes (training/drawn.py).

The digit is skeletonised at 4× resolution (so the centre line is smooth), the skeleton is
traced into polylines (junctions split them, spurs shorter than a pixel of the original
digit are dropped, lines meeting end to end are chained into one pen stroke)."""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from skimage.morphology import skeletonize

UPSAMPLE = 4


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
        paths = [p for p in paths if line_length(p) >= 1.0] or paths  # spurs of the skeleton, not strokes
    return _chain(paths, reach=1.5 / UPSAMPLE)


def line_length(line: np.ndarray) -> float:
    return float(np.hypot(*np.diff(line, axis=0).T).sum()) if len(line) > 1 else 0.0


def resample(line: np.ndarray, count: int) -> np.ndarray:
    """`count` points evenly spaced along the polyline, its ends included."""
    steps = np.hypot(*np.diff(line, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] == 0:
        return line[:1]
    at = np.linspace(0.0, along[-1], count)
    return np.stack([np.interp(at, along, line[:, 0]), np.interp(at, along, line[:, 1])], axis=1)
