"""Tablet and phone layouts (issue 14): at 768×1024, 1024×768 and 390×844 the pad, the guess and the
3D network share the first screen without overlapping, the timeline is on it too, every visible
control is a 44-px touch target, a finger drawing on the pad never scrolls the page, and fingers
orbit and pinch the 3D view."""

from __future__ import annotations

import re

import pytest
from page_helpers import TEST_CONTEXT, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

SIZES = [(768, 1024), (1024, 768), (390, 844)]
FIRST_SCREEN = ["#draw-pad", "#prediction", "#probability-bars", "#network", "#timeline-bar"]
# Controls that are not touch targets themselves: the segmented control's radio inputs are
# invisible (opacity 0); the <label> around each one is the target, and it is measured.
EXEMPT = "input[type=radio]"
SMALL_CONTROLS = """(exempt) => [...document.querySelectorAll('button, input, select, .segmented label')]
    .filter((e) => !e.matches(exempt) && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
    .map((e) => { const r = e.getBoundingClientRect(); return [e.id || e.className || e.tagName, r.width, r.height]; })
    .filter(([, w, h]) => w < 44 || h < 44)"""


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def touch(page, kind: str, points: list[tuple[float, float]]) -> None:
    """A real touch event through the DevTools protocol (what a finger on a touch screen sends)."""
    page.context.cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]},
    )


def camera(page) -> list[float]:
    page.wait_for_function("/camera=/.test(location.hash)", timeout=5_000)
    return [float(v) for v in re.search(r"camera=([^&]+)", page.evaluate("location.hash")).group(1).split(",")]


@pytest.fixture(scope="module", params=SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def touch_page(request, browser, site_server):
    width, height = request.param
    context = browser.new_context(
        **TEST_CONTEXT, viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.context.cdp = context.new_cdp_session(page)
    page.size = request.param
    open_page(page, site_server.url + "/")
    yield page
    context.close()


def test_pad_guess_network_and_timeline_share_the_first_screen(touch_page, artifacts_dir):
    page = touch_page
    width, height = page.size
    boxes = {selector: page.locator(selector).bounding_box() for selector in FIRST_SCREEN}
    for selector, box in boxes.items():
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5, (
            f"{selector} {box} is not inside the {width}×{height} screen"
        )
    guess = {  # the guess: the prediction and its bars together
        "x": min(boxes["#prediction"]["x"], boxes["#probability-bars"]["x"]),
        "y": boxes["#prediction"]["y"],
        "width": max(boxes["#prediction"]["width"], boxes["#probability-bars"]["width"]),
        "height": boxes["#probability-bars"]["y"] + boxes["#probability-bars"]["height"] - boxes["#prediction"]["y"],
    }
    parts = {
        "pad": boxes["#draw-pad"],
        "guess": guess,
        "network": boxes["#network"],
        "timeline": boxes["#timeline-bar"],
    }
    names = list(parts)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not overlaps(parts[first], parts[second]), (
                f"{first} {parts[first]} overlaps {second} {parts[second]}"
            )
    assert boxes["#network"]["height"] >= 0.3 * height, "the network gets a real share of the screen"
    assert boxes["#draw-pad"]["width"] >= 180
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(artifacts_dir / f"page-layout-{width}x{height}.png"))
    assert page.errors == []


def test_every_visible_control_is_a_touch_target(touch_page):
    page = touch_page
    small = page.evaluate(SMALL_CONTROLS, EXEMPT)
    assert small == [], f"controls under 44 px at {page.size}: {small}"


def test_a_finger_draws_without_scrolling_and_gets_a_guess(touch_page):
    page = touch_page
    page.click("#clear")
    box = page.locator("#draw-pad").bounding_box()
    scroll = page.evaluate("[scrollX, scrollY]")
    x = box["x"] + box["width"] / 2
    # A "1" drawn top to bottom, then sideways: gestures a browser would take for scrolling.
    touch(page, "touchStart", [(x, box["y"] + box["height"] * 0.15)])
    for step in range(1, 13):
        touch(page, "touchMove", [(x + step, box["y"] + box["height"] * (0.15 + step * 0.06))])
    touch(page, "touchEnd", [])
    assert wait_for_prediction(page) != ""
    assert page.evaluate("[scrollX, scrollY]") == scroll, "drawing scrolled the page"
    assert page.evaluate("visualViewport.scale") == 1, "drawing zoomed the page"
    assert page.errors == []


def test_one_finger_orbits_and_two_fingers_pinch_the_network(touch_page):
    page = touch_page
    box = page.locator("#network").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch(page, "touchStart", [(cx, cy)])
    for step in range(1, 8):
        touch(page, "touchMove", [(cx + 10 * step, cy)])
    touch(page, "touchEnd", [])
    orbited = camera(page)
    page.wait_for_timeout(300)  # the orbit's damping settles
    orbited = camera(page)
    distance = sum((p - t) ** 2 for p, t in zip(orbited[:3], orbited[3:], strict=True)) ** 0.5
    touch(page, "touchStart", [(cx - 30, cy), (cx + 30, cy)])
    for step in range(1, 8):
        touch(page, "touchMove", [(cx - 30 - 12 * step, cy), (cx + 30 + 12 * step, cy)])
    touch(page, "touchEnd", [])
    page.wait_for_function(f"!/camera={','.join(f'{v:g}' for v in orbited)}(&|$)/.test(location.hash)", timeout=5_000)
    page.wait_for_timeout(300)
    pinched = camera(page)
    closer = sum((p - t) ** 2 for p, t in zip(pinched[:3], pinched[3:], strict=True)) ** 0.5
    assert closer < distance * 0.95, f"spreading two fingers zooms in: {distance:.2f} → {closer:.2f}"
    assert page.evaluate("[scrollX, scrollY]") == [0, 0]
    assert page.errors == []
