"""The 3D view as a person uses it: select a neuron for its details (and clear
the selection with Escape or a click on empty space), orbit the camera and
come back with Reset view, and show every connection."""

from __future__ import annotations

import pytest
from page_helpers import REPO, open_page, png_colour_stats, set_range, wait_for_prediction

pytestmark = pytest.mark.browser

HIDE_OVERLAYS = "document.querySelectorAll('#network-labels, .stage-help, .stage-tools, .stage-hint').forEach((e) => { e.style.visibility = 'hidden'; })"
SHOW_OVERLAYS = "document.querySelectorAll('#network-labels, .stage-help, .stage-tools, .stage-hint').forEach((e) => { e.style.visibility = ''; })"


def network_stats(page) -> dict:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.evaluate(HIDE_OVERLAYS)
    stats = png_colour_stats(page, page.locator("#network").screenshot())
    page.evaluate(SHOW_OVERLAYS)
    return stats


def test_selecting_a_neuron_shows_its_details(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-3")
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction === '3'")
    page.locator(".net-label.output").nth(3).click()
    page.wait_for_selector("#neuron-details:not([hidden])")
    assert page.inner_text("#neuron-name") == "Output neuron for digit 3"
    assert page.inner_text("#neuron-activation-label") == "Probability"
    probability = float(page.inner_text("#neuron-activation").rstrip(" %"))
    assert probability > 50
    rows = page.locator("#neuron-inputs tbody tr:not([hidden])")
    assert rows.count() == 6
    assert rows.first.inner_text().startswith("hidden 2 ·")
    # The strongest contribution is listed first, and weight × input = contribution.
    weight, value, contribution = (float(cell) for cell in rows.first.locator("td").all_inner_texts()[1:])
    assert abs(weight * value - contribution) < 0.01  # three rounded decimals
    page.screenshot(path=str(artifacts_dir / "page-neuron-selected.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("#neuron-details", state="hidden")
    page.locator(".net-label.output").nth(7).click()
    page.wait_for_function("document.querySelector('#neuron-name').textContent.endsWith('digit 7')")
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 30)  # empty space (top-left corner) clears
    page.wait_for_selector("#neuron-details", state="hidden")
    assert page.errors == []


def test_orbit_and_reset_view(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-8")
    wait_for_prediction(page)
    home = network_stats(page)
    label = page.locator(".net-label.output").nth(8)  # HTML labels pinned to 3D points follow the camera
    label_home = label.bounding_box()
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.6, steps=4)
    page.mouse.up()
    page.wait_for_timeout(1500)  # let the damping settle
    moved = network_stats(page)
    assert moved != home
    label_moved = label.bounding_box()
    assert abs(label_moved["x"] - label_home["x"]) + abs(label_moved["y"] - label_home["y"]) > 40, (
        label_home,
        label_moved,
    )
    page.click("#reset-view")
    page.wait_for_timeout(1500)
    back = network_stats(page)
    for key in ("bright", "warm", "cool"):
        assert abs(back[key] - home[key]) <= 0.02 * home[key] + 20, (key, home, back)
    label_back = label.bounding_box()
    assert abs(label_back["x"] - label_home["x"]) < 12 and abs(label_back["y"] - label_home["y"]) < 12, (
        label_home,
        label_back,
    )
    assert page.errors == []


def test_every_connection_can_be_shown(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-0")
    wait_for_prediction(page)
    sparse = network_stats(page)
    set_range(page, "#top-k", 8)
    set_range(page, "#threshold", 0)
    page.wait_for_function("document.querySelector('#top-k-value').textContent === 'all'")
    dense = network_stats(page)
    assert dense["lit"] > 1.1 * sparse["lit"], (sparse, dense)  # ~10^5 lines fill the space between the layers
    page.screenshot(path=str(artifacts_dir / "page-all-connections.png"))
    assert page.errors == []
