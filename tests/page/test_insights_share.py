"""The shareable URL hash and the tablet layout on the real page: a copied link opens the
same snapshot, drawing, neuron and camera in a fresh browser; bad hash values are
ignored with a calm notice; ?export= still works; at 768 px the views stack, the pad
stays finger-sized and no control overlaps another."""

from __future__ import annotations

import numpy as np
import pytest
from insights_helpers import coloured_dot, overlapping_controls, show_tab, shown_digit, two_frames, visible_box
from page_helpers import (
    REPO,
    TEST_CONTEXT,
    draw_digit,
    first_of_each_class,
    manifest,
    mnist_test_set,
    open_page,
    set_range,
    wait_for_prediction,
    wait_for_snapshot,
)

pytestmark = pytest.mark.browser


def settled_hash(page) -> str:
    """location.hash once the debounced writer has caught up (it waits 400 ms after the last change)."""
    page.wait_for_timeout(700)
    return page.evaluate("location.hash")


def test_a_shared_link_restores_snapshot_drawing_neuron_and_camera(browser, page, serve, mnist_dir, artifacts_dir):
    images, labels = mnist_test_set(mnist_dir)
    timeline = manifest()["timeline"]
    index = len(timeline) // 3
    server = serve(REPO)
    open_page(page, f"{server.url}/#neuron=1.17")
    history = page.evaluate("history.length")
    set_range(page, "#timeline", index)
    wait_for_snapshot(page, timeline[index]["id"], "#timeline-bar")
    draw_digit(page, images[first_of_each_class(labels)[4]])
    guess = wait_for_prediction(page)
    page.wait_for_selector(
        ".ins-latent-canvas[data-probe='loaded']"
    )  # a drawing fetches the probe set soon after its first answer
    stage = page.locator("#network").bounding_box()
    page.mouse.move(stage["x"] + stage["width"] * 0.3, stage["y"] + stage["height"] * 0.5)
    page.mouse.down()
    page.mouse.move(stage["x"] + stage["width"] * 0.45, stage["y"] + stage["height"] * 0.4, steps=8)
    page.mouse.up()
    shared = settled_hash(page)
    for part in (
        f"snapshot={timeline[index]['id']}",
        "drawing=8",
        "camera=",
        "neuron=1.17",
        "export=exports/mlp_weights.json",
    ):
        assert part in shared, part
    assert page.evaluate("history.length") == history, "replaceState: no history entry per change"

    page.click("#copy-link")  # headless Chromium without a clipboard permission: the fallback field
    page.wait_for_function("document.querySelector('#share-status').textContent !== ''")
    if page.is_visible("#share-url"):
        assert page.input_value("#share-url") == page.url
        assert page.evaluate("document.activeElement.id") == "share-url"

    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 1440, "height": 900})
    fresh = context.new_page()
    try:
        open_page(fresh, f"{server.url}/{shared}")
        assert wait_for_prediction(fresh) == guess
        assert fresh.get_attribute("#prediction", "data-snapshot") == timeline[index]["id"]
        assert fresh.input_value("#timeline") == str(index)
        np.testing.assert_array_equal(shown_digit(fresh), shown_digit(page))
        assert fresh.get_attribute("#neuron-weights", "data-neuron") == "1.17"
        assert settled_hash(fresh) == shared, "the same view: the restored page writes back the very same link"
        fresh.screenshot(path=str(artifacts_dir / "page-shared-link.png"))
    finally:
        context.close()
    assert page.errors == []


def test_invalid_hash_values_show_a_calm_notice_and_the_page_works(page, serve):
    server = serve(REPO)
    bad = "#export=https://example.com/x.json&snapshot=nope&drawing=8@@&camera=1,2&neuron=9.99999&colour=red"
    open_page(page, f"{server.url}/{bad}")
    assert page.is_visible("#notice") and page.is_hidden("#error")
    notice = page.text_content("#notice-text")
    for word in ("export", "snapshot", "drawing", "camera", "neuron", "colour"):
        assert word in notice, word
    assert page.get_attribute("#timeline-bar", "data-snapshot") == manifest()["timeline"][-1]["id"], (
        "the default snapshot"
    )
    assert "exports/mlp_weights.json" in page.text_content("#export-name")
    assert not any("example.com" in path for path in server.requests)
    page.click("#digit-1")
    assert wait_for_prediction(page) == "1"
    assert "nope" not in settled_hash(page), "the link is rewritten without the ignored values"
    page.click("#notice-dismiss")
    assert page.is_hidden("#notice")
    assert page.errors == []


def test_export_in_the_query_and_in_the_hash(page, serve):
    server = serve(REPO)
    first, last = manifest()["timeline"][0]["id"], manifest()["timeline"][-1]["id"]
    open_page(page, f"{server.url}/?export=exports/mlp_weights.json#snapshot={first}")
    assert page.get_attribute("#timeline-bar", "data-snapshot") == first
    open_page(page, f"{server.url}/#export=exports/mlp_weights.json&snapshot={first}")
    assert page.get_attribute("#timeline-bar", "data-snapshot") == first
    assert page.is_hidden("#notice")
    page.evaluate(f"location.hash = '#snapshot={last}'")  # a link pasted into the open tab
    wait_for_snapshot(page, last, "#timeline-bar")
    page.goto("about:blank")
    open_page(page, f"{server.url}/#export=../../etc/passwd")
    assert "Ignored the export" in page.text_content("#notice-text"), "a non-.json path is refused calmly"
    assert page.is_hidden("#error")
    assert page.errors == []


def test_a_link_pasted_into_the_tab_is_not_overwritten_by_a_pending_write(page, serve):
    """A pasted link is a new history entry whose hashchange comes a task later; under load the
    writer's timer can run first and used to replace the pasted link with the view being left."""
    server = serve(REPO)
    timeline = manifest()["timeline"]
    open_page(page, server.url + "/")
    # The timeline moves (a write falls due), then a link lands in the tab before its
    # hashchange (pushState fires none, so the page stays in that window).
    page.eval_on_selector(
        "#timeline",
        """(el, v) => {
          el.value = String(v);
          el.dispatchEvent(new Event('input', {bubbles: true}));
          history.pushState(null, '', '#snapshot=pasted');
        }""",
        len(timeline) // 2,
    )
    wait_for_snapshot(page, timeline[len(timeline) // 2]["id"], "#timeline-bar")
    assert settled_hash(page) == "#snapshot=pasted"
    assert page.errors == []


def test_tablet_portrait_stacks_the_views_and_nothing_overlaps(browser, serve, artifacts_dir):
    context = browser.new_context(
        **TEST_CONTEXT, viewport={"width": 768, "height": 1024}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    try:
        server = serve(REPO)
        open_page(page, f"{server.url}/#neuron=1.40")
        pad = page.locator("#draw-pad").bounding_box()
        assert pad["width"] >= 300, "the pad stays large enough to draw on with a finger"
        insights = page.locator("#insights").bounding_box()
        assert insights["width"] > 700, "the insight views take the full width below the network"
        assert insights["y"] > page.locator("#network").bounding_box()["y"]
        page.click("#digit-8")
        wait_for_prediction(page)
        page.wait_for_selector(".ins-latent-canvas[data-probe='loaded']")
        page.wait_for_timeout(500)  # the map's transition
        assert overlapping_controls(page) == []
        page.screenshot(path=str(artifacts_dir / "page-tablet-768.png"), full_page=True)

        # Touch: the first tap on a dot shows its digit, a second tap loads it.
        box = visible_box(page, ".ins-latent-canvas")
        dot = coloured_dot(page)
        before = shown_digit(page)
        page.touchscreen.tap(box["x"] + dot["x"], box["y"] + dot["y"])
        assert page.is_visible(".ins-tooltip")
        two_frames(page)
        np.testing.assert_array_equal(shown_digit(page), before)
        page.touchscreen.tap(box["x"] + dot["x"], box["y"] + dot["y"])
        two_frames(page)
        assert not np.array_equal(shown_digit(page), before), "the second tap draws that digit on the pad"
        for tab in ("Training", "Confusion"):
            show_tab(page, tab)
            assert overlapping_controls(page) == [], tab
        page.locator("#insights").screenshot(path=str(artifacts_dir / "page-tablet-768-confusion.png"))
    finally:
        context.close()
