"""The connections coloured on the GPU (scene/gpu-connection-lines.js) draw the picture the CPU
reference draws (?connections=cpu): the same real MNIST digit (a digit button's probe digit),
the same snapshot and camera, screenshots of the 3D view compared pixel by pixel, for the MLP
and the CNN: the blank pad (weights alone), the default top-k and threshold, every connection,
and a selected neuron's lines (the focus a hover shows too)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from page_helpers import REPO, TEST_CONTEXT, open_page, set_range, wait_for_prediction
from PIL import Image

pytestmark = pytest.mark.browser

HIDE_OVERLAYS = "document.querySelectorAll('#network-labels, .stage-help, .stage-tools, .stage-hint').forEach((e) => { e.style.visibility = 'hidden'; })"


def picture(page) -> np.ndarray:
    """The 3D view's pixels (RGB), after two frames, without the HTML overlays."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.evaluate(HIDE_OVERLAYS)
    png = page.locator("#network").screenshot()
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def difference(a: np.ndarray, b: np.ndarray) -> dict:
    delta = np.abs(a - b).max(axis=2)
    return {
        "mean": float(delta.mean()),
        "over 24": float((delta > 24).mean()),
        "lit": float((a.max(axis=2) > 40).mean()),
    }


# Rounding differs a little (the CPU quantises values to 1024 steps and colours to bytes; the GPU
# does not): ~10^5 overlapping faint lines add up to a mean difference under one level, and only
# a few pixels differ by more than 24 levels; a missing or extra line differs along its whole
# length (the sparse-vs-dense control below differs in 3× more pixels than tolerated).
MEAN_TOLERANCE = 1.5
OVER_24_TOLERANCE = 0.002


def pages(browser, url: str):
    """The GPU page and the CPU reference at `url` (query string appended), both ready."""
    opened = []
    for mode in ("gpu", "cpu"):
        context = browser.new_context(
            **TEST_CONTEXT, viewport={"width": 1440, "height": 900}
        )  # the other page tests' size: smaller ones stack the output labels
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc, page=page: page.errors.append(str(exc)))
        open_page(page, f"{url}?connections={mode}" if "?" not in url else f"{url}&connections={mode}")
        assert page.get_attribute("#network", "data-connections") == mode
        opened.append(page)
    return opened


def compare(both, label: str) -> dict:
    gpu, cpu = (picture(page) for page in both)
    found = difference(gpu, cpu)
    assert found["lit"] > 0.02, (label, found)  # the network is drawn at all
    assert found["mean"] < MEAN_TOLERANCE and found["over 24"] < OVER_24_TOLERANCE, (label, found)
    return {"gpu": gpu, **found}


def same_on_both(both, action) -> None:
    for page in both:
        action(page)
        wait_for_prediction(page)


@pytest.mark.parametrize("export", ["mlp", "cnn"])
def test_gpu_lines_match_the_cpu_reference(browser, serve, export):
    server = serve(REPO)
    query = "/" if export == "mlp" else "/?export=exports/cnn_weights.json"
    both = pages(browser, server.url + query)
    try:
        blank = compare(both, "blank pad: the weights alone")
        same_on_both(both, lambda page: page.click("#digit-4"))
        drawn = compare(both, "a drawn digit, default top-k and threshold")
        assert (
            difference(drawn["gpu"], blank["gpu"])["over 24"] > 3 * OVER_24_TOLERANCE
        )  # the drawing changed the lines

        def every_connection(page):
            set_range(page, "#top-k", 8)
            set_range(page, "#threshold", 0)
            page.wait_for_function("document.querySelector('#top-k-value').textContent === 'all'")

        same_on_both(both, every_connection)
        dense = compare(both, "every connection")
        control = difference(dense["gpu"], drawn["gpu"])
        assert control["over 24"] > 3 * OVER_24_TOLERANCE, control  # the tolerance tells pictures apart

        same_on_both(both, lambda page: page.locator(".net-label.output").nth(2).click())
        for page in both:
            page.wait_for_selector("#neuron-details:not([hidden])")
        compare(both, "one output neuron's lines (focus)")
        for page in both:
            assert page.errors == []
    finally:
        for page in both:
            page.context.close()
