"""Helpers for the toolkit tests: running `python -m training`, the page's JavaScript
preprocessing through node, drawings made like the page's pad, and throwaway copies of
the committed export to damage."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "exports" / "mlp_weights.json"
# The page's preprocessing module: the oracle every Python preprocessing test compares with.
PAGE_PREPROCESS_JS = REPO / "assets" / "js" / "model" / "preprocess.js"
NODE_SCRIPT = Path(__file__).resolve().parent / "page_preprocess.mjs"
PAD_SIDE = 280  # the page's drawing pad (#draw-pad), ink pixels
BRUSH_RADIUS = 12  # the pad's default brush


def run_tool(*args, cwd: Path = REPO, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m training ARGS…` in a fresh process (stdout and stderr captured as text)."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "training", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.splitlines()


def page_preprocess_js(inks: list[np.ndarray], folder: Path) -> np.ndarray:
    """The page's `preprocess` (assets/js) run by node on each ink bitmap: float32 [n, 28, 28]
    (NaN where the page finds the pad blank)."""
    folder.mkdir(parents=True, exist_ok=True)
    shapes = [list(ink.shape) for ink in inks]
    (folder / "shapes.json").write_text(json.dumps(shapes))
    np.concatenate([ink.astype(np.float32).ravel() for ink in inks]).tofile(folder / "ink.f32")
    subprocess.run(
        ["node", str(NODE_SCRIPT), str(PAGE_PREPROCESS_JS), "shapes.json", "ink.f32", "out.f32"],
        cwd=folder,
        check=True,
        timeout=300,
    )
    return np.fromfile(folder / "out.f32", dtype=np.float32).reshape(len(inks), 28, 28)


def paint_segment(ink: np.ndarray, start, end, radius: float = BRUSH_RADIUS) -> None:
    """The pad's brush (assets/js/model/brush.js): a capsule with a full core and a smoothstep rim,
    keeping the darker of old and new ink."""
    height, width = ink.shape
    ys, xs = np.mgrid[0:height, 0:width] + 0.5
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length = dx * dx + dy * dy
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / length, 0, 1) if length else np.zeros_like(xs)
    distance = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
    core = radius * 0.45
    s = np.clip(1 - (distance - core) / (radius - core), 0, 1)
    amount = np.where(distance <= core, 1.0, np.where(distance >= radius, 0.0, s * s * (3 - 2 * s)))
    np.maximum(ink, amount, out=ink)


# Digit skeletons in unit coordinates (x right, y down), drawn as polylines.
STROKES = {
    0: [[(0.5, 0.1), (0.25, 0.25), (0.2, 0.6), (0.35, 0.88), (0.62, 0.88), (0.78, 0.6), (0.72, 0.25), (0.5, 0.1)]],
    1: [[(0.35, 0.25), (0.55, 0.1), (0.55, 0.9)]],
    2: [[(0.25, 0.25), (0.45, 0.1), (0.7, 0.2), (0.7, 0.42), (0.25, 0.88), (0.78, 0.88)]],
    3: [[(0.25, 0.15), (0.7, 0.15), (0.45, 0.45), (0.72, 0.62), (0.6, 0.88), (0.25, 0.85)]],
    4: [[(0.6, 0.9), (0.6, 0.1), (0.2, 0.62), (0.8, 0.62)]],
    5: [[(0.75, 0.12), (0.32, 0.12), (0.28, 0.45), (0.62, 0.45), (0.74, 0.68), (0.55, 0.9), (0.25, 0.85)]],
    6: [[(0.7, 0.1), (0.35, 0.4), (0.25, 0.75), (0.5, 0.92), (0.72, 0.72), (0.55, 0.52), (0.3, 0.62)]],
    7: [[(0.2, 0.12), (0.8, 0.12), (0.42, 0.9)]],
    8: [
        [
            (0.5, 0.5),
            (0.25, 0.3),
            (0.5, 0.1),
            (0.75, 0.3),
            (0.5, 0.5),
            (0.22, 0.72),
            (0.5, 0.92),
            (0.78, 0.72),
            (0.5, 0.5),
        ]
    ],
    9: [[(0.72, 0.35), (0.5, 0.5), (0.28, 0.32), (0.5, 0.1), (0.72, 0.3), (0.65, 0.9)]],
}


def drawing(digit: int, rng: np.random.Generator, side: int = PAD_SIDE) -> np.ndarray:
    """A digit drawn on the pad the way a person would: the skeleton placed with a random
    size and position, each point a little off, painted with the pad's brush."""
    ink = np.zeros((side, side))
    size = rng.uniform(0.5, 0.9) * side
    left, top = rng.uniform(0, side - size * 0.8, size=2)
    radius = rng.uniform(8, 16)
    for stroke in STROKES[digit]:
        points = [(left + x * size * 0.8 + rng.normal(0, 3), top + y * size + rng.normal(0, 3)) for x, y in stroke]
        points = [(x, min(y, side - 1)) for x, y in points]
        for start, end in zip(points[:-1], points[1:]):
            paint_segment(ink, start, end, radius)
    return ink


def copy_export(folder: Path, edit=None, copy_files: bool = False) -> Path:
    """The committed export's manifest (edited by `edit(manifest)`) in `folder`, with its
    files linked (or copied, to be damaged)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.loads(COMMITTED.read_text())
    if edit is not None:
        edit(manifest)
    path = folder / COMMITTED.name
    path.write_text(json.dumps(manifest))
    files = COMMITTED.with_suffix("")
    if copy_files:
        shutil.copytree(files, folder / files.name)
    else:
        (folder / files.name).symlink_to(files)
    return path
