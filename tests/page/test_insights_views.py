"""The insight views on the real page (index.html, default export, real Chromium): each
view renders, follows the timeline, moves it, and loads real MNIST test digits (checked
against the IDX files) into the pad; the probe set waits for the first prediction and is
downloaded once for the digit buttons and the latent map together."""

from __future__ import annotations

import numpy as np
import pytest
from insights_helpers import (
    MAP_BACKGROUND,
    canvas_stats,
    coloured_dot,
    overlapping_controls,
    show_tab,
    shown_digit,
    two_frames,
    visible_box,
)
from page_helpers import (
    REPO,
    canvas_pixels,
    manifest,
    mnist_test_set,
    open_page,
    set_range,
    wait_for_prediction,
    wait_for_snapshot,
)

pytestmark = pytest.mark.browser

LABEL_SPACE = 22  # the confusion grid's digit labels, left of and above the cells


def probe_requests(server) -> int:
    probe = "/exports/" + manifest()["probe"]["file"]  # content-hashed name since the re-export
    return sum(path.endswith(probe) for path in server.requests)


def wait_for_map(page, snapshot_id: str) -> None:
    page.wait_for_selector(f".ins-latent-canvas[data-snapshot='{snapshot_id}'][data-probe='loaded']", timeout=15_000)


def test_each_view_renders_and_the_probe_waits_for_the_first_prediction(page, serve, artifacts_dir):
    last = manifest()["timeline"][-1]["id"]
    server = serve(REPO)
    open_page(page, f"{server.url}/#neuron=1.5")
    page.wait_for_selector(f".ins-latent-canvas[data-snapshot='{last}']")
    assert probe_requests(server) == 0, "the 789-kB probe set is not fetched before the first prediction"
    assert canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)["inked"] > 1000, (
        "the map's shape shows at once, in grey"
    )

    page.click("#digit-7")
    assert wait_for_prediction(page) == "7"
    wait_for_map(page, last)
    page.click("#digit-2")
    assert wait_for_prediction(page) == "2"
    assert probe_requests(server) == 1, "one download shared by the digit buttons and the latent map"
    assert canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)["inked"] > 1500, "1,000 coloured probe points"
    assert page.locator(".ins-legend-class").count() == 10

    assert page.get_attribute("#neuron-weights", "data-neuron") == "1.5"
    assert canvas_stats(page, "#neuron-weights .ins-weight-image >> nth=0")["opaque"] == 784, "the 28×28 weight picture"
    page.click(".sees .ins-toggle")
    assert page.get_attribute(".sees .ins-toggle", "aria-pressed") == "true"
    two_frames(page)
    assert canvas_stats(page, ".ins-saliency-overlay")["opaque"] > 200, "saliency colours the ink of the preview"
    assert page.get_attribute(".ins-saliency-overlay", "data-class") == "2", "the saliency of the predicted class"
    assert overlapping_controls(page) == []
    page.screenshot(path=str(artifacts_dir / "page-insights-1440-latent.png"))

    for tab, selector in (("Training", ".ins-curves-canvas"), ("Confusion", ".ins-confusion-canvas")):
        show_tab(page, tab)
        assert page.get_attribute(selector, "data-snapshot") == last
        assert canvas_stats(page, selector)["inked"] > 2000, tab
        page.locator("#insights").screenshot(path=str(artifacts_dir / f"page-insights-{tab.lower()}.png"))
    assert not any(path.endswith("/gallery.safetensors") for path in server.requests), "mistake images wait for a cell"
    assert page.is_hidden("#error") and page.is_hidden("#notice")
    assert page.errors == []


def test_the_weight_picture_paints_the_legends_colours(page, serve):
    """A 2D canvas gets the palette's sRGB colours: the neuron's strongest weight is painted
    exactly as the legend's end (#ffdb8c or #9ed3ff), not WebGL's linear version of it."""
    server = serve(REPO)
    open_page(page, f"{server.url}/#neuron=1.5")
    page.wait_for_selector("#neuron-weights[data-neuron='1.5']")
    pixels = canvas_pixels(page, "#neuron-weights .ins-weight-image >> nth=0")[..., :3].reshape(-1, 3).astype(int)
    legend_ends = {(0xFF, 0xDB, 0x8C), (0x9E, 0xD3, 0xFF)}  # t = +1 and -1 in model/palette.js's stops
    neutral = np.array([0x1C, 0x21, 0x2E])
    strongest = tuple(pixels[np.abs(pixels - neutral).sum(axis=1).argmax()])
    assert min(sum(abs(a - b) for a, b in zip(strongest, end, strict=True)) for end in legend_ends) <= 3, strongest
    assert page.errors == []


def test_scrubbing_changes_the_map_the_curves_cursor_and_the_matrix(page, serve):
    timeline = manifest()["timeline"]
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-5")
    wait_for_prediction(page)
    seen = {}
    for index in (0, len(timeline) // 2, len(timeline) - 1):
        snapshot_id = timeline[index]["id"]
        set_range(page, "#timeline", index)
        wait_for_snapshot(page, snapshot_id)
        wait_for_map(page, snapshot_id)
        latent = canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)["checksum"]
        show_tab(page, "Training")
        assert page.get_attribute(".ins-curves-canvas", "data-snapshot") == snapshot_id
        curves = canvas_stats(page, ".ins-curves-canvas")["checksum"]
        assert (
            page.locator(".ins-curves .ins-readout").text_content().lower().startswith(timeline[index]["label"].lower())
        )
        show_tab(page, "Confusion")
        assert page.get_attribute(".ins-confusion-canvas", "data-snapshot") == snapshot_id
        matrix = timeline[index]["metrics"]["confusion"]
        right = sum(matrix[i][i] for i in range(10))
        assert (
            page.locator(".ins-confusion .ins-readout")
            .text_content()
            .startswith(f"{right:,} of {sum(map(sum, matrix)):,}")
        )
        seen[index] = (latent, curves, canvas_stats(page, ".ins-confusion-canvas")["checksum"])
        show_tab(page, "Latent map")
    for view, values in zip(("latent map", "curves cursor", "confusion matrix"), zip(*seen.values())):
        assert len(set(values)) == len(values), f"the {view} changes with the snapshot"
    assert page.errors == []


def test_clicking_the_training_chart_moves_the_timeline(page, serve):
    timeline = manifest()["timeline"]
    server = serve(REPO)
    open_page(page, server.url + "/")
    show_tab(page, "Training")
    box = visible_box(page, ".ins-curves-canvas")
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + 60)
    page.wait_for_function(f"document.querySelector('#timeline-bar').dataset.snapshot !== '{timeline[-1]['id']}'")
    chosen = page.get_attribute("#timeline-bar", "data-snapshot")
    index = [entry["id"] for entry in timeline].index(chosen)
    assert 0 < index < len(timeline) - 1
    assert page.input_value("#timeline") == str(index), "the page's own timeline follows"
    page.wait_for_selector(f".ins-curves-canvas[data-snapshot='{chosen}']")
    page.keyboard.press("ArrowRight")
    wait_for_snapshot(page, timeline[index + 1]["id"], "#timeline-bar")
    assert page.errors == []


def test_a_latent_point_and_a_mistake_thumbnail_load_real_test_digits(page, serve, mnist_dir):
    images, _ = mnist_test_set(mnist_dir)
    entry = manifest()["timeline"][-1]
    server = serve(REPO)
    open_page(page, server.url + "/")
    map_box = visible_box(page, ".ins-latent-canvas")
    page.mouse.move(map_box["x"] + 5, map_box["y"] + 5)  # reaching for the map fetches the probe set
    wait_for_map(page, entry["id"])
    assert page.get_attribute("#prediction", "data-prediction") == ""

    dot = coloured_dot(page)
    page.mouse.move(map_box["x"] + dot["x"], map_box["y"] + dot["y"])
    label = page.locator(".ins-tooltip-label").text_content()
    test_index = int(label.rsplit("#", 1)[1])
    page.mouse.click(map_box["x"] + dot["x"], map_box["y"] + dot["y"])
    assert wait_for_prediction(page) != ""
    np.testing.assert_array_equal(shown_digit(page), images[test_index])

    mistake = entry["metrics"]["mistakes"][0]
    in_cell = [
        m
        for m in entry["metrics"]["mistakes"]
        if (m["label"], m["predicted"]) == (mistake["label"], mistake["predicted"])
    ]
    show_tab(page, "Confusion")
    grid = visible_box(page, ".ins-confusion-canvas")
    cell = (grid["width"] - LABEL_SPACE) / 10
    page.mouse.click(
        grid["x"] + LABEL_SPACE + (mistake["predicted"] + 0.5) * cell,
        grid["y"] + LABEL_SPACE + (mistake["label"] + 0.5) * cell,
    )
    page.wait_for_selector(".ins-thumb")
    assert page.locator(".ins-thumb").count() == len(in_cell)
    page.locator(".ins-thumb").first.click()
    page.wait_for_function(f"document.querySelector('#prediction').dataset.prediction === '{mistake['predicted']}'")
    np.testing.assert_array_equal(shown_digit(page), images[mistake["test_index"]])

    # A diagonal cell has no exported images: a friendly note instead of thumbnails.
    grid = visible_box(page, ".ins-confusion-canvas")  # the thumbnails may have scrolled the column
    page.mouse.click(grid["x"] + LABEL_SPACE + 0.5 * cell, grid["y"] + LABEL_SPACE + 0.5 * cell)
    assert page.locator(".ins-thumb").count() == 0
    assert "only keeps mistakes" in page.locator(".ins-mistakes .ins-note").text_content()
    assert page.errors == []
