"""The insight views on the CNN export (?export=exports/cnn_weights.json), the counterparts of
test_insights_views.py and test_insights_share.py for the MLP: the latent map, training curves
and confusion matrix follow the CNN's own timeline, a mistake thumbnail and a latent point load
real test digits, saliency colours the ink for the predicted class, and a shared link restores
the CNN's snapshot, drawing, selected feature-map value and camera."""

from __future__ import annotations

import json

import numpy as np
import pytest
from insights_helpers import MAP_BACKGROUND, canvas_stats, coloured_dot, show_tab, shown_digit, two_frames, visible_box
from page_helpers import (
    REPO,
    TEST_CONTEXT,
    mnist_test_set,
    open_page,
    set_range,
    wait_for_prediction,
    wait_for_snapshot,
)

pytestmark = pytest.mark.browser

CNN = "exports/cnn_weights.json"
TIMELINE = json.loads((REPO / CNN).read_text())["timeline"]
LABEL_SPACE = 22  # the confusion grid's digit labels, left of and above the cells


def wait_for_map(page, snapshot_id: str) -> None:
    page.wait_for_selector(f".ins-latent-canvas[data-snapshot='{snapshot_id}'][data-probe='loaded']", timeout=15_000)


def test_the_cnn_views_follow_its_timeline_and_load_real_digits(page, serve, mnist_dir, artifacts_dir):
    images, _ = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, f"{server.url}/?export={CNN}")
    page.click("#digit-5")
    assert wait_for_prediction(page) == "5"
    page.click(".sees .ins-toggle")
    two_frames(page)
    assert canvas_stats(page, ".ins-saliency-overlay")["opaque"] > 200, "saliency through conv and pool colours the ink"
    assert page.get_attribute(".ins-saliency-overlay", "data-class") == "5"
    seen = {}
    for index in (0, len(TIMELINE) // 2, len(TIMELINE) - 1):
        entry = TIMELINE[index]
        set_range(page, "#timeline", index)
        wait_for_snapshot(page, entry["id"])
        wait_for_map(page, entry["id"])
        latent = canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)
        assert latent["inked"] > 1500, "1,000 coloured probe points"
        show_tab(page, "Training")
        assert page.get_attribute(".ins-curves-canvas", "data-snapshot") == entry["id"]
        curves = canvas_stats(page, ".ins-curves-canvas")["checksum"]
        assert page.locator(".ins-curves .ins-readout").text_content().lower().startswith(entry["label"].lower())
        show_tab(page, "Confusion")
        assert page.get_attribute(".ins-confusion-canvas", "data-snapshot") == entry["id"]
        matrix = entry["metrics"]["confusion"]
        right = sum(matrix[i][i] for i in range(10))
        readout = page.locator(".ins-confusion .ins-readout").text_content()
        assert readout.startswith(f"{right:,} of {sum(map(sum, matrix)):,}"), readout
        seen[index] = (latent["checksum"], curves, canvas_stats(page, ".ins-confusion-canvas")["checksum"])
        show_tab(page, "Latent map")
    for view, values in zip(("latent map", "curves cursor", "confusion matrix"), zip(*seen.values(), strict=True)):
        assert len(set(values)) == len(values), f"the CNN's {view} changes with the snapshot"

    # A latent point puts its test digit on the (cleared) pad.
    page.click("#clear")
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction === ''")
    box = visible_box(page, ".ins-latent-canvas")
    dot = coloured_dot(page)
    page.mouse.move(box["x"] + dot["x"], box["y"] + dot["y"])
    test_index = int(page.locator(".ins-tooltip-label").text_content().rsplit("#", 1)[1])
    page.mouse.click(box["x"] + dot["x"], box["y"] + dot["y"])
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction !== ''")
    np.testing.assert_array_equal(shown_digit(page), images[test_index])

    # The CNN's most confident mistake, from its own confusion cell.
    mistake = TIMELINE[-1]["metrics"]["mistakes"][0]
    show_tab(page, "Confusion")
    grid = visible_box(page, ".ins-confusion-canvas")
    cell = (grid["width"] - LABEL_SPACE) / 10
    page.mouse.click(
        grid["x"] + LABEL_SPACE + (mistake["predicted"] + 0.5) * cell,
        grid["y"] + LABEL_SPACE + (mistake["label"] + 0.5) * cell,
    )
    page.wait_for_selector(".ins-thumb")
    page.locator(".ins-thumb").first.click()
    page.wait_for_function(f"document.querySelector('#prediction').dataset.prediction === '{mistake['predicted']}'")
    np.testing.assert_array_equal(shown_digit(page), images[mistake["test_index"]])
    page.screenshot(path=str(artifacts_dir / "page-insights-cnn.png"))
    assert page.is_hidden("#error") and page.is_hidden("#notice")
    assert page.errors == []


def test_a_shared_cnn_link_restores_snapshot_drawing_and_feature_map_value(browser, page, serve):
    index = len(TIMELINE) // 3
    selected = "3.200"  # the second convolution's map 1, row 1, column 5 (stage 3 = layer 3's output)
    server = serve(REPO)
    open_page(page, f"{server.url}/?export={CNN}#neuron={selected}")
    set_range(page, "#timeline", index)
    wait_for_snapshot(page, TIMELINE[index]["id"], "#timeline-bar")
    page.click("#digit-8")
    guess = wait_for_prediction(page)
    page.wait_for_selector("#neuron-map[data-stage='3'][data-map='1']")
    field = page.get_attribute("#network", "data-receptive-field")
    assert field == "layer=3 map=1 row=0 column=4 from=2 lines=120", (
        field
    )  # rows 0–2 of 5 inside, all 5 columns, 8 maps
    page.wait_for_timeout(700)  # the link is rewritten at most every 400 ms
    shared = page.evaluate("location.hash")
    for part in (f"snapshot={TIMELINE[index]['id']}", "drawing=8", f"neuron={selected}", f"export={CNN}"):
        assert part in shared, part
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 1440, "height": 900})
    fresh = context.new_page()
    try:
        open_page(fresh, f"{server.url}/{shared}")
        assert wait_for_prediction(fresh) == guess
        assert fresh.get_attribute("#prediction", "data-snapshot") == TIMELINE[index]["id"]
        assert fresh.eval_on_selector("#model-switch", "(s) => s.value") == CNN
        np.testing.assert_array_equal(shown_digit(fresh), shown_digit(page))
        fresh.wait_for_selector("#neuron-map[data-stage='3'][data-map='1']")
        assert fresh.get_attribute("#network", "data-receptive-field") == field
        assert fresh.eval_on_selector("#neuron-map-stats", "(dl) => ({ ...dl.dataset })") == page.eval_on_selector(
            "#neuron-map-stats", "(dl) => ({ ...dl.dataset })"
        )
        fresh.wait_for_timeout(700)
        assert fresh.evaluate("location.hash") == shared, "the restored page writes back the very same link"
    finally:
        context.close()
    assert page.errors == []
