"""The model switch opens the other export in place (issue 15): no navigation, the same drawing,
the address follows with pushState, back/forward opens its entry's export in place, nothing of
the export left behind is fetched again (nor the probe set both ship), and a broken target
leaves the page as it was."""

from __future__ import annotations

import json
import shutil

import pytest
from page_helpers import (
    REPO,
    copy_site,
    draw_digit,
    first_of_each_class,
    mnist_test_set,
    open_page,
    set_range,
    wait_for_prediction,
)

pytestmark = pytest.mark.browser

MLP = "exports/mlp_weights.json"
CNN = "exports/cnn_weights.json"
NOT_FOUND_LOG = "Failed to load resource"  # Chromium logs every 404 as a console error


def last_id(path: str) -> str:
    return json.loads((REPO / path).read_text())["timeline"][-1]["id"]


def labels(page) -> list[str]:
    return page.locator("#network-labels .layer").all_text_contents()


def mark_document(page) -> None:
    """A marker only this document has: a reload or a navigation loses it."""
    page.evaluate("window.__marker = 1")


def same_document(page) -> bool:
    return page.evaluate("window.__marker === 1 && performance.getEntriesByType('navigation').length === 1")


def wait_for_model(page, search: str, first_layer: str, snapshot: str) -> str:
    """Waits until the address, the 3D view's layers and the guess show that export; returns the guess."""
    page.wait_for_function(
        """([search, layer, snapshot]) => location.search === search
            && [...document.querySelectorAll('#network-labels .layer')][1]?.textContent === layer
            && document.querySelector('#prediction').dataset.snapshot === snapshot
            && !document.querySelector('#model-switch').disabled""",
        arg=[search, first_layer, snapshot],
        timeout=30_000,
    )
    return wait_for_prediction(page)


def settled(page, expression: str):
    """`expression` once the page's link has caught up: the same over two reads a write delay apart
    (the link is rewritten 400 ms after the last change; an orbit glides on for a while)."""
    previous = None
    for _ in range(20):
        page.wait_for_timeout(700)
        value = page.evaluate(expression)
        if value is not None and value == previous:
            return value
        previous = value
    raise AssertionError(f"{expression} never settled: {previous}")


@pytest.fixture(scope="module")
def digit(mnist_dir):
    images, labels_ = mnist_test_set(mnist_dir)
    return images[first_of_each_class(labels_)[3]]


def test_switch_opens_the_cnn_in_place_with_the_same_drawing(page, serve, digit):
    server = serve(REPO)
    open_page(page, server.url + "/")
    draw_digit(page, digit)
    mlp_guess = wait_for_prediction(page)
    mlp_labels = labels(page)
    assert mlp_labels[1] != "Conv · 8 maps", mlp_labels
    page.click("#tour-start")  # the MLP's tour: the CNN's steps differ, so the switch ends it
    page.wait_for_selector("#tour", state="visible")
    mark_document(page)
    seen = len(server.requests)

    page.locator("#model-switch").select_option(CNN)
    cnn_guess = wait_for_model(page, f"?export={CNN}", "Conv · 8 maps", last_id(CNN))
    assert same_document(page), "the switch reloaded or left the page"
    assert page.locator("#tour").is_hidden()
    assert page.get_attribute("#network", "data-emphasis") == ""
    assert page.locator("#model-switch").input_value() == CNN
    after = server.requests[seen:]
    assert not [path for path in after if path.startswith("/exports/mlp_weights")], after
    assert f"/{CNN}" in after

    # A fresh page at the address the switch wrote predicts the same for the same drawing.
    fresh = page.context.new_page()
    open_page(fresh, page.url)
    assert wait_for_prediction(fresh) == cnn_guess
    assert labels(fresh) == labels(page)
    fresh.close()

    # And back through the switch: the MLP again, at the snapshot id both exports have.
    page.locator("#model-switch").select_option(MLP)
    assert wait_for_model(page, f"?export={MLP}", mlp_labels[1], last_id(CNN)) == mlp_guess
    assert labels(page) == mlp_labels
    assert same_document(page)
    assert page.errors == []


def test_the_probe_set_both_exports_ship_is_downloaded_once(page, serve):
    """The MLP and the CNN list the same probe file (same sha256) in their own folders: after the
    switch the CNN's latent map and digit buttons use the set the MLP's download checked."""
    probes = {path: json.loads((REPO / path).read_text())["probe"] for path in (MLP, CNN)}
    assert probes[MLP]["sha256"] == probes[CNN]["sha256"] and probes[MLP]["file"] != probes[CNN]["file"]
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-7")  # the digit buttons fetch the probe set (and the latent map colours it)
    page.wait_for_selector(f".ins-latent-canvas[data-snapshot='{last_id(MLP)}'][data-probe='loaded']")
    page.locator("#model-switch").select_option(CNN)
    wait_for_model(page, f"?export={CNN}", "Conv · 8 maps", last_id(CNN))
    page.wait_for_selector(f".ins-latent-canvas[data-snapshot='{last_id(CNN)}'][data-probe='loaded']")
    page.click("#digit-4")
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction === '4'")
    probe_paths = [path for path in server.requests if "/probe." in path]
    assert probe_paths == [f"/exports/{probes[MLP]['file']}"], probe_paths
    assert page.errors == []


def test_back_and_forward_open_their_entry_in_place(page, serve, digit):
    server = serve(REPO)
    open_page(page, server.url + "/?lang=en")
    draw_digit(page, digit)
    mlp_guess = wait_for_prediction(page)
    mlp_labels = labels(page)
    box = page.locator("#network").bounding_box()  # orbit the camera: the switch keeps it
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2 + 40, steps=8)
    page.mouse.up()
    camera = settled(page, "new URLSearchParams(location.hash.slice(1)).get('camera')")
    mark_document(page)
    page.locator("#model-switch").select_option(CNN)
    # The page's other parameters stay in the address, after ?export=.
    cnn_guess = wait_for_model(page, f"?export={CNN}&lang=en", "Conv · 8 maps", last_id(CNN))
    assert page.evaluate("new URLSearchParams(location.hash.slice(1)).get('camera')") == camera

    page.go_back()
    # The MLP's entry, at its own snapshot (not the CNN's last id, which the MLP has too).
    assert wait_for_model(page, "?lang=en", mlp_labels[1], last_id(MLP)) == mlp_guess
    assert labels(page) == mlp_labels
    assert page.locator("#model-switch").input_value() == MLP
    page.go_forward()
    assert wait_for_model(page, f"?export={CNN}&lang=en", "Conv · 8 maps", last_id(CNN)) == cnn_guess
    assert same_document(page), "back/forward reloaded the page"

    # A link pasted into the tab (only its hash changes) still opens as a fresh page.
    page.evaluate("location.hash = '#snapshot=init'")
    page.wait_for_function("window.__marker === undefined && document.body.dataset.ready === 'true'")
    page.wait_for_function("document.querySelector('#prediction').dataset.snapshot === 'init'")
    assert page.locator("#model-switch").input_value() == CNN
    assert page.errors == []


BREAKAGES = {
    "snapshot 404": lambda site: shutil.rmtree(site / "exports" / "cnn_weights"),
    "corrupt manifest": lambda site: (site / "exports" / "cnn_weights.json").write_text('{"format": '),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_target_leaves_the_mlp_as_it_was(page, serve, tmp_path, digit, breakage):
    site = copy_site(tmp_path)
    BREAKAGES[breakage](site)
    server = serve(site)
    open_page(page, server.url + "/")
    draw_digit(page, digit)
    guess = wait_for_prediction(page)
    before = {
        "labels": labels(page),
        "url": settled(page, "location.href"),
        "snapshot": page.get_attribute("#prediction", "data-snapshot"),
    }
    mark_document(page)

    page.locator("#model-switch").select_option(CNN)
    page.wait_for_selector("#error", state="visible", timeout=30_000)
    page.wait_for_function("!document.querySelector('#model-switch').disabled")
    assert "exports/cnn_weights" in page.locator("#error").inner_text()
    assert page.locator("#model-switch").input_value() == MLP
    assert wait_for_prediction(page) == guess
    after = {"labels": labels(page), "url": page.url, "snapshot": page.get_attribute("#prediction", "data-snapshot")}
    assert after == before
    assert same_document(page)
    assert [error for error in page.errors if NOT_FOUND_LOG not in error] == []


def test_a_late_snapshot_of_the_export_left_behind_is_never_shown(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-3")  # a real test digit: the guess shows which snapshot computed it
    wait_for_prediction(page)
    held = []  # the MLP snapshot the timeline asks for, answered only after the switch
    page.route("**/exports/mlp_weights/002_*", lambda route: held.append(route))
    set_range(page, "#timeline", 2)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the timeline never asked for the MLP's snapshot 2"
    page.locator("#model-switch").select_option(CNN)
    wait_for_model(page, f"?export={CNN}", "Conv · 8 maps", last_id(CNN))
    with page.expect_response("**/exports/mlp_weights/002_*"):
        held[0].continue_()
    page.wait_for_timeout(500)  # the decoded snapshot's answer and a frame
    assert page.get_attribute("#prediction", "data-snapshot") == last_id(CNN)
    assert labels(page)[1] == "Conv · 8 maps"
    assert page.errors == []
