"""The page loads the default export in real Chromium (served by a real HTTP
server), renders the network with WebGL, lays out its panels without overlap
at desktop and tablet sizes, and refuses exports from other sites."""

from __future__ import annotations

import pytest
from page_helpers import REPO, TEST_CONTEXT, manifest, open_page, png_colour_stats, wait_for_prediction

pytestmark = pytest.mark.browser

HIDE_OVERLAYS = "document.querySelectorAll('#network-labels, .stage-help, .stage-tools, .stage-hint').forEach((e) => { e.style.visibility = 'hidden'; })"


# A panel's visible box: clipped to its scrolling column, None when scrolled out of sight.
VISIBLE_BOX = """(e) => {
  const r = e.getBoundingClientRect();
  const column = e.closest('.column');
  const c = column && column.getClientRects().length ? column.getBoundingClientRect() : { top: -Infinity, bottom: Infinity };
  const top = Math.max(r.top, c.top), bottom = Math.min(r.bottom, c.bottom);
  return bottom - top < 1 ? null : { x: r.x, y: top, width: r.width, height: bottom - top };
}"""


def panel_boxes(page) -> dict[str, dict]:
    selectors = {
        "pad": ".pad-panel",
        "guess": ".prob-panel",
        "stage": ".stage",
        "timeline": ".timeline-bar",
        "overview": ".panel:has(#overview)",
        "settings": ".panel:has(#settings-title)",
        "neuron": "#neuron-panel",
        "insights": "#insights",
    }
    boxes = {name: page.locator(selector).evaluate(VISIBLE_BOX) for name, selector in selectors.items()}
    if boxes["pad"] is None:  # tablets in portrait lay the pad panel's parts out one by one (display: contents)
        parts = {"pad": ".pad-frame", "pad-tools": ".pad-tools", "sees": ".sees", "digits": ".digits"}
        boxes.update({name: page.locator(selector).evaluate(VISIBLE_BOX) for name, selector in parts.items()})
    return {name: box for name, box in boxes.items() if box is not None}


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


def assert_no_overlap(boxes: dict[str, dict]) -> None:
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not overlaps(boxes[first], boxes[second]), (
                f"{first} {boxes[first]} overlaps {second} {boxes[second]}"
            )


def test_loads_the_default_export_and_renders_webgl(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    last = manifest()["timeline"][-1]
    assert page.get_attribute("#prediction", "data-snapshot") == last["id"]
    assert page.get_attribute("#timeline-bar", "data-snapshot") == last["id"]
    assert page.get_attribute("#prediction", "data-prediction") == ""
    assert page.is_hidden("#error")
    assert page.get_attribute("#timeline", "max") == str(len(manifest()["timeline"]) - 1)
    page.screenshot(path=str(artifacts_dir / "page-desktop-blank.png"))
    page.evaluate(HIDE_OVERLAYS)
    blank = png_colour_stats(page, page.locator("#network").screenshot())
    # The blank network shows its weights as orange and blue lines over slate neurons.
    assert blank["warm"] > 0.003 * blank["pixels"] and blank["cool"] > 0.003 * blank["pixels"], blank
    page.click("#digit-0")
    wait_for_prediction(page)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    drawn = png_colour_stats(page, page.locator("#network").screenshot())
    # The input card lights up in the palette's blues (background pixels) and oranges (ink): the canvas really redrew.
    assert drawn["cool"] - blank["cool"] > 0.005 * drawn["pixels"], (blank, drawn)
    assert page.errors == []


def test_desktop_panels_do_not_overlap(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-7")
    boxes = panel_boxes(page)
    assert_no_overlap(boxes)
    pad = page.locator("#draw-pad").bounding_box()
    assert pad["width"] >= 280 and pad["height"] >= 280
    insights = page.locator("#insights").bounding_box()
    assert insights is None or insights["width"] >= 320, "room for a 320 px insight canvas"
    page.screenshot(path=str(artifacts_dir / "page-desktop-digit.png"))
    assert page.errors == []


def test_tablet_layout_stacks_without_overlap(browser, serve, artifacts_dir):
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 768, "height": 1024}, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        server = serve(REPO)
        open_page(page, server.url + "/")
        page.click("#digit-2")
        boxes = panel_boxes(page)
        assert_no_overlap(boxes)
        assert boxes["pad"]["y"] < boxes["stage"]["y"] < boxes["overview"]["y"], (
            "pad first, then the network, then the panels"
        )
        assert boxes["stage"]["height"] >= 0.5 * 1024
        pad = page.locator("#draw-pad").bounding_box()
        assert pad["width"] >= 280
        assert page.evaluate("getComputedStyle(document.querySelector('#draw-pad')).touchAction") == "none"
        page.screenshot(path=str(artifacts_dir / "page-tablet.png"), full_page=True)
        assert errors == []
    finally:
        context.close()


def test_an_export_from_another_site_is_refused(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?export=https://evil.example/x.json", ready=False)
    page.wait_for_selector("#error:not([hidden])")
    assert "?export=https://evil.example/x.json was refused" in page.inner_text("#error")
    fetched = [path for path in server.requests if not path.startswith("/?")]  # nothing preloaded either
    assert not any("evil" in path or path.endswith((".json", ".safetensors")) for path in fetched), fetched
    assert page.errors == []


def test_chromium_decodes_float16_natively_like_the_lookup_table(page, serve):
    """Chromium has Float16Array: the page's native path must agree with the fallback table bit for bit."""
    server = serve(REPO)
    page.goto(server.url + "/index.html")
    result = page.evaluate("""async () => {
        const { decodeFloat16 } = await import('./assets/js/data/float16.js');
        const bits = Uint16Array.from({ length: 65536 }, (_, i) => i);
        const native = decodeFloat16(bits), table = decodeFloat16(bits, { useNative: false });
        let differences = 0;
        for (let i = 0; i < bits.length; i++) if (!Object.is(native[i], table[i]) && !(Number.isNaN(native[i]) && Number.isNaN(table[i]))) differences++;
        return { native: typeof Float16Array === 'function', differences };
    }""")
    assert result == {"native": True, "differences": 0}
