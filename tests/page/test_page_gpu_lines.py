"""The connections coloured on the GPU (scene/gpu-connection-lines.js) draw the picture the CPU
reference draws (?connections=cpu): the same real MNIST digit drawn with the mouse, the same
snapshot and camera, screenshots of the 3D view compared pixel by pixel, for the MLP and the
CNN, with the default top-k and threshold, every connection, and a hovered neuron's lines."""

from __future__ import annotations

import numpy as np
import pytest
from page_helpers import REPO, draw_digit, first_of_each_class, mnist_test_set, open_page, set_range, wait_for_prediction

pytestmark = pytest.mark.browser

HIDE_OVERLAYS = "document.querySelectorAll('#network-labels, .stage-help, .stage-tools, .stage-hint').forEach((e) => { e.style.visibility = 'hidden'; })"


def picture(page) -> np.ndarray:
    """The 3D view's pixels (RGB), after two frames, without the HTML overlays."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.evaluate(HIDE_OVERLAYS)
    png = page.locator("#network").screenshot()
    rgb = page.evaluate(
        """async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d');
        context.drawImage(bitmap, 0, 0);
        const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
        return { width: bitmap.width, height: bitmap.height, bytes: Array.from(data) };
    }""",
        __import__("base64").b64encode(png).decode(),
    )
    return np.array(rgb["bytes"], dtype=np.int16).reshape(rgb["height"], rgb["width"], 4)[..., :3]


def difference(a: np.ndarray, b: np.ndarray) -> dict:
    delta = np.abs(a - b).max(axis=2)
    return {"mean": float(delta.mean()), "over 24": float((delta > 24).mean()), "lit": float((a.max(axis=2) > 40).mean())}
