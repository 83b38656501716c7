"""Helpers for the page's browser tests: real MNIST digits, drawing them on
#draw-pad with the mouse, an independent NumPy version of the page's
preprocessing, PNG statistics computed by the browser, and copies of the
page + export to break."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MANIFEST = REPO / "exports" / "mlp_weights.json"
VERSION_1_MANIFEST = REPO / "tests" / "fixtures" / "version1" / "mlp_weights.json"  # the same MLP in format 1

# The tests wait on string predicates, which Playwright evaluates with eval; the page's
# Content-Security-Policy (no eval) would refuse them. tests/page/test_page_security.py
# drives the page under its real policy.
TEST_CONTEXT = {"bypass_csp": True}


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (gzipped or not) as a uint8 array."""
    if not path.exists():
        path = path.with_suffix("") if path.suffix == ".gz" else path.with_name(path.name + ".gz")
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_test_set(mnist_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    return read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz"), read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz")


def first_of_each_class(labels: np.ndarray) -> list[int]:
    return [int(np.flatnonzero(labels == digit)[0]) for digit in range(10)]


def copy_site(target: Path) -> Path:
    """index.html, favicon.svg, assets/ and exports/ copied into target (to break the export safely)."""
    shutil.copy(REPO / "index.html", target / "index.html")
    shutil.copy(REPO / "favicon.svg", target / "favicon.svg")
    shutil.copytree(REPO / "assets", target / "assets")
    shutil.copytree(REPO / "exports", target / "exports")
    return target


def manifest() -> dict:
    return json.loads(DEFAULT_MANIFEST.read_text())


def manifest_v1() -> dict:
    """The committed MLP in format version 1 (its file paths fit exports/ too)."""
    return json.loads(VERSION_1_MANIFEST.read_text())


def open_page(page, url: str, *, ready: bool = True) -> None:
    page.goto(url)
    if ready:
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)


def set_range(page, selector: str, value: int) -> None:
    page.eval_on_selector(
        selector, "(el, v) => { el.value = String(v); el.dispatchEvent(new Event('input', {bubbles: true})); }", value
    )


def draw_digit(page, image: np.ndarray, *, ink_from: int = 96) -> None:
    """Trace a 28×28 digit's ink on #draw-pad with real mouse strokes: one stroke per run of ink in each row."""
    page.click("#clear")
    box = page.locator("#draw-pad").bounding_box()
    cell = box["width"] / 28
    set_range(page, "#brush-size", 16)  # 1.6 cells: neighbouring row strokes merge like a pen line
    for row in range(28):
        columns = np.flatnonzero(image[row] >= ink_from)
        if columns.size == 0:
            continue
        runs = np.split(columns, np.flatnonzero(np.diff(columns) > 1) + 1)
        y = box["y"] + (row + 0.5) * cell
        for run in runs:
            page.mouse.move(box["x"] + (run[0] + 0.5) * cell, y)
            page.mouse.down()
            page.mouse.move(box["x"] + (run[-1] + 0.5) * cell, y)
            page.mouse.up()


def wait_for_snapshot(page, snapshot_id: str, element: str = "#prediction", timeout: float = 30_000) -> None:
    """Waits until `element` (#prediction or #timeline-bar) shows the snapshot with this id."""
    page.wait_for_function(f"document.querySelector('{element}').dataset.snapshot === '{snapshot_id}'", timeout=timeout)


def wait_for_prediction(page) -> str:
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction !== ''", timeout=10_000)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page.get_attribute("#prediction", "data-prediction")


def canvas_pixels(page, selector: str) -> np.ndarray:
    """A canvas's pixels (RGBA uint8, rows × columns × 4) through getImageData."""
    data = page.eval_on_selector(
        selector,
        """(canvas) => {
        const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        return { width: image.width, height: image.height, bytes: Array.from(image.data) };
    }""",
    )
    return np.array(data["bytes"], dtype=np.uint8).reshape(data["height"], data["width"], 4)


def png_colour_stats(page, png: bytes) -> dict:
    """Decode a PNG (a screenshot) with the browser and count pixels: all, lit (above the dark
    background), bright, warm (orange), cool (blue)."""
    return page.evaluate(
        """async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        const stats = { pixels: data.length / 4, lit: 0, bright: 0, warm: 0, cool: 0 };
        for (let i = 0; i < data.length; i += 4) {
            const r = data[i], g = data[i + 1], b = data[i + 2];
            if (Math.max(r, g, b) > 48) stats.lit++;
            if (Math.max(r, g, b) > 110) stats.bright++;
            if (r > g + 25 && r > b + 60) stats.warm++;
            if (b > r + 50 && b > g + 10) stats.cool++;
        }
        return stats;
    }""",
        base64.b64encode(png).decode(),
    )


def _axis_weights(first: int, last: int, scale: float, offset: float) -> np.ndarray:
    """Matrix [28, last - first + 1]: how much of target pixel t source pixel s covers (exact box filter)."""
    sources = np.arange(last - first + 1)
    a = sources * scale + offset
    b = a + scale
    targets = np.arange(28)[:, None]
    return np.clip(np.minimum(b[None, :], targets + 1) - np.maximum(a[None, :], targets), 0, None)


def mnist_preprocess(ink: np.ndarray, ink_threshold: float = 0.05) -> np.ndarray | None:
    """MNIST's recipe, written independently of the page: crop to the ink's bounding box,
    scale to fit 20×20 keeping the aspect ratio (area averaging), centre of mass at (14, 14)."""
    rows, columns = np.nonzero(ink >= ink_threshold)
    if rows.size == 0:
        return None
    y0, y1, x0, x1 = rows.min(), rows.max(), columns.min(), columns.max()
    crop = ink[y0 : y1 + 1, x0 : x1 + 1].astype(np.float64)
    scale = 20 / max(crop.shape)
    mass = crop.sum()
    centre_y = ((np.arange(crop.shape[0]) + 0.5) * crop.sum(axis=1)).sum() / mass
    centre_x = ((np.arange(crop.shape[1]) + 0.5) * crop.sum(axis=0)).sum() / mass
    wy = _axis_weights(y0, y1, scale, 14 - centre_y * scale)
    wx = _axis_weights(x0, x1, scale, 14 - centre_x * scale)
    return np.clip(wy @ crop @ wx.T, 0, 1)
