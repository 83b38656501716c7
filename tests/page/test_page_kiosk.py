"""Museum kiosk mode (issue 14): ?kiosk / #kiosk lock the page down on 1920×1080 and 1080×1920 touch
screens; after ?idle=SECONDS without input the attract loop draws a real test digit and plays the
timeline until a touch ends it with a clean pad; and 200 cycles leave the JS heap, the DOM and the
GPU's buffers as they were."""

from __future__ import annotations

import contextlib
import re
import time

import numpy as np
import pytest
from page_helpers import REPO, TEST_CONTEXT, canvas_pixels, manifest, open_page

pytestmark = pytest.mark.browser

HIDDEN_IN_KIOSK = ["#copy-link", "#open-export", "#open-export-input", "#lang", "#model-switch", "#brush-size"]
TIMELINE = [entry["id"] for entry in manifest()["timeline"]]


@contextlib.contextmanager
def kiosk_page(browser, url: str, width: int, height: int):
    """A touch-screen page at `url`, ready, with its CDP session; closed after the `with`."""
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": width, "height": height}, has_touch=True)
    page = context.new_page()
    page.errors, page.warnings = [], []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.on("console", lambda msg: {"error": page.errors, "warning": page.warnings}.get(msg.type, []).append(msg.text))
    page.cdp = context.new_cdp_session(page)
    try:
        open_page(page, url)
        yield page
    finally:
        context.close()


def touch_at(page, x: float, y: float) -> None:
    """A finger's tap through the DevTools protocol."""
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def pad_ink(page) -> np.ndarray:
    green = canvas_pixels(page, "#draw-pad")[:, :, 1].astype(np.float64)
    return np.clip((green - 7.0) / (239.0 - 7.0), 0, 1)  # the pad's paper and ink colours


INKED_PIXELS = """() => {
    const pad = document.querySelector('#draw-pad');
    const data = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data;
    let count = 0;
    for (let i = 1; i < data.length; i += 4) if (data[i] > 120) count++;
    return count;
}"""


def two_frames(page) -> None:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_kiosk_mode_is_a_locked_full_screen_layout(browser, site_server, artifacts_dir, size):
    width, height = size
    with kiosk_page(browser, f"{site_server.url}/?kiosk", width, height) as page:
        assert page.get_attribute("body", "data-kiosk") == "true"
        for selector in HIDDEN_IN_KIOSK:
            assert not page.is_visible(selector), f"{selector} is reachable in kiosk mode"
        assert page.locator("#drop-overlay").count() == 0, "no drop target"
        assert page.evaluate("getComputedStyle(document.body).userSelect") == "none"
        assert "user-scalable=no" in page.get_attribute('meta[name="viewport"]', "content")
        prevented = page.evaluate("""() => {
            const fire = (target, event) => !target.dispatchEvent(event);
            const stage = document.querySelector('.stage-help');
            return {
                contextmenu: fire(stage, new MouseEvent('contextmenu', { bubbles: true, cancelable: true })),
                ctrlWheel: fire(stage, new WheelEvent('wheel', { bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100 })),
                ctrlPlus: fire(document.body, new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ctrlKey: true, key: '+' })),
                plainKey: fire(document.body, new KeyboardEvent('keydown', { bubbles: true, cancelable: true, key: 'a' })),
            };
        }""")
        assert prevented == {"contextmenu": True, "ctrlWheel": True, "ctrlPlus": True, "plainKey": False}
        boxes = {
            s: page.locator(s).bounding_box() for s in ("#draw-pad", "#probability-bars", "#network", "#timeline-bar")
        }
        for selector, box in boxes.items():
            assert (
                box["x"] >= 0
                and box["y"] >= 0
                and box["x"] + box["width"] <= width
                and box["y"] + box["height"] <= height
            ), selector
        names = list(boxes)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                one, two = boxes[a], boxes[b]
                apart = (
                    one["x"] + one["width"] <= two["x"]
                    or two["x"] + two["width"] <= one["x"]
                    or one["y"] + one["height"] <= two["y"]
                    or two["y"] + two["height"] <= one["y"]
                )
                assert apart, f"{a} overlaps {b}"
        assert boxes["#draw-pad"]["width"] >= 450, "a big pad"
        small = page.evaluate("""() => [...document.querySelectorAll('button')]
            .filter((b) => b.getClientRects().length && b.getBoundingClientRect().height < 56).map((b) => b.id || b.className)""")
        assert small == [], f"big buttons: {small}"
        page.screenshot(path=str(artifacts_dir / f"page-kiosk-{width}x{height}.png"))
        assert page.errors == []


def test_hash_kiosk_turns_kiosk_mode_on_and_the_link_keeps_it(browser, site_server):
    with kiosk_page(browser, f"{site_server.url}/#kiosk", 1920, 1080) as page:
        assert page.get_attribute("body", "data-kiosk") == "true"
        page.click("#digit-3")
        page.wait_for_function("/snapshot=/.test(location.hash)")
        assert page.evaluate("new URLSearchParams(location.hash.slice(1)).has('kiosk')")
        assert page.errors == []


def test_idle_starts_the_attract_loop_and_a_touch_ends_it_with_a_clean_pad(browser, site_server, artifacts_dir):
    with kiosk_page(browser, f"{site_server.url}/?kiosk&idle=6&attract-cycle=4", 1920, 1080) as page:
        page.wait_for_selector("body[data-attract=true]", timeout=15_000)
        assert page.is_visible("#attract-invite")
        assert page.text_content("#attract-invite") == "Draw a digit"
        shown, inked, predicted = set(), 0, set()
        for _ in range(40):  # one 4-s cycle, sampled
            shown.add(page.get_attribute("#timeline-bar", "data-snapshot"))
            predicted.add(page.get_attribute("#prediction", "data-prediction"))
            inked = max(inked, page.evaluate(INKED_PIXELS))
            page.wait_for_timeout(100)
        early = shown & set(TIMELINE[: len(TIMELINE) // 3])  # sampled: the first snapshots show for a few frames only
        assert early and TIMELINE[-1] in shown and len(shown) >= 4, (
            f"the timeline plays from untrained to trained: {shown}"
        )
        assert inked > 2000, "a digit is drawn on the pad"
        assert predicted - {""}, "the network reads it as it is drawn"
        page.screenshot(path=str(artifacts_dir / "page-kiosk-attract.png"))

        guess = page.locator(".prob-panel").bounding_box()
        touch_at(page, guess["x"] + 20, guess["y"] + guess["height"] - 10)
        assert page.get_attribute("body", "data-attract") is None, "the touch ends the loop at once"
        two_frames(page)
        assert page.evaluate(INKED_PIXELS) == 0, "the visitor gets a clean pad"
        page.wait_for_function("document.querySelector('#prediction').dataset.prediction === ''", timeout=2_000)
        assert not page.is_visible("#attract-invite")
        page.wait_for_function(f"document.querySelector('#timeline-bar').dataset.snapshot === '{TIMELINE[-1]}'")

        # The visitor's first touch on the pad starts their stroke on a clean pad.
        page.wait_for_selector("body[data-attract=true]", timeout=15_000)
        pad = page.locator("#draw-pad").bounding_box()
        touch_at(page, pad["x"] + 20, pad["y"] + 20)
        two_frames(page)
        ink = pad_ink(page)
        assert ink[:60, :60].max() > 0.9, "the touch drew a dot where it landed"
        assert ink[60:, :].max() == 0 and ink[:, 60:].max() == 0, "and nothing of the attract digit is left"
        page.wait_for_selector("body[data-attract=true]", timeout=15_000)  # idle again: the loop starts over
        assert page.errors == []


def test_a_bad_idle_value_warns_and_keeps_the_default(browser, site_server):
    with kiosk_page(browser, f"{site_server.url}/?kiosk&idle=abc", 1280, 800) as page:
        page.wait_for_timeout(1500)
        assert "?idle=abc is not a number of seconds: using 90" in page.warnings
        assert page.get_attribute("body", "data-attract") is None
        assert page.errors == []


LAYOUT_SHIFTS_SINCE = """(since) => new Promise((done) => new PerformanceObserver((list, observer) => {
    observer.disconnect();
    done(list.getEntries().filter((entry) => entry.startTime > since).length);
}).observe({ type: 'layout-shift', buffered: true }))"""


def test_attract_cycles_leave_nothing_behind_in_the_browser(browser, site_server):
    """What a cycle must not do, each a record the browser keeps: rewrite the address (a history
    update and a favicon reload, i.e. a resource-timing entry, every time) or shift the layout."""
    with kiosk_page(browser, f"{site_server.url}/?kiosk&idle=1&attract-cycle=0.3", 1280, 720) as page:
        wait_for_cycles(page, 5, 30_000)
        since = page.evaluate("performance.now()")
        hash_before = page.evaluate("location.hash")
        resources = page.evaluate("performance.getEntriesByType('resource').length")
        wait_for_cycles(page, 30, 30_000)
        assert page.evaluate("location.hash") == hash_before, "the demo is not written into the link"
        assert page.evaluate("performance.getEntriesByType('resource').length") == resources, "nothing is fetched again"
        assert page.evaluate(LAYOUT_SHIFTS_SINCE, since) == 0, "a new guess moves nothing on the page"
        touch_at(page, 640, 700)
        last = TIMELINE[-1]
        page.wait_for_function(
            f"new URLSearchParams(location.hash.slice(1)).get('snapshot') === '{last}'", timeout=5_000
        )
        assert page.errors == []


def metrics(page) -> dict:
    page.cdp.send("HeapProfiler.collectGarbage")
    values = {m["name"]: m["value"] for m in page.cdp.send("Performance.getMetrics")["metrics"]}
    return {
        "heap": values["JSHeapUsedSize"],
        "nodes": values["Nodes"],
        "gpu": page.get_attribute("body", "data-gpu-memory"),
    }


def wait_for_cycles(page, count: int, timeout: float) -> None:
    page.wait_for_function(f"Number(document.body.dataset.attractCycles) >= {count}", timeout=timeout)


def cycles(page) -> int:
    return int(page.get_attribute("body", "data-attract-cycles"))


# The goal compares the heap and nodes "after the first 10 cycles" with the end of 200. A kiosk's
# cycle is DEFAULT_CYCLE_S (12 s), so its first 10 cycles are two minutes of the loop; the test
# shortens the cycle to 0.3 s to run 200 in a minute, and so takes its baseline when the loop
# has run as long as ten default cycles (and at least 10 cycles), then runs 200 more. In those
# first minutes the heap grows by time, not by cycles: V8 compiles the loop's functions as they
# get hot and the browser's long-animation-frame buffer fills to its cap of 200 (heap snapshots:
# +166 optimised functions, no object of the page's own). Measured at 1280×720 after a forced
# GC: 5.50–5.59 → 6.11–6.13 MB over the first 90 s whether a cycle lasts 0.3 s (cycle 300) or 1 s
# (cycle 90), then +0.8% from cycle 400 to 600 of 0.3 s and +0.7% from cycle 90 to 210 of 1 s.
# A baseline after 10 cycles of 0.3 s (3 s of the loop) sat in that warm-up (+7.5% to cycle 210).
ATTRACT_JS = (REPO / "assets" / "js" / "app" / "attract.js").read_text()
DEFAULT_CYCLE_S = float(re.search(r"DEFAULT_CYCLE_S = ([\d.]+);", ATTRACT_JS).group(1))


def test_two_hundred_attract_cycles_leave_heap_dom_and_gpu_as_they_were(browser, site_server):
    with kiosk_page(browser, f"{site_server.url}/?kiosk&idle=1&attract-cycle=0.3", 1280, 720) as page:
        page.cdp.send("Performance.enable")
        wait_for_cycles(page, 1, 30_000)
        loop_started = time.monotonic()
        wait_for_cycles(page, 10, 30_000)
        page.wait_for_timeout(max(0.0, 10 * DEFAULT_CYCLE_S - (time.monotonic() - loop_started)) * 1000)
        first = cycles(page)
        early = metrics(page)
        wait_for_cycles(page, first + 100, 90_000)
        middle = metrics(page)
        wait_for_cycles(page, first + 200, 90_000)
        late = metrics(page)
        print(f"after {first} cycles {early}, {first + 100}: {middle}, {first + 200}: {late}")
        assert abs(late["heap"] - early["heap"]) <= 0.05 * early["heap"], (early, late)
        assert abs(late["nodes"] - early["nodes"]) <= 0.05 * early["nodes"], (early, late)
        assert late["gpu"] == early["gpu"], (early, late)
        assert page.errors == []
