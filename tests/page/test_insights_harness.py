"""The insight views (assets/js/insights/) mounted by tests/page/insights-harness.html on
the real default export in real Chromium: each view renders, follows the timeline, and
loads real MNIST test digits (checked against the IDX files) into the harness's pad."""
from __future__ import annotations

import numpy as np
import pytest

from page_helpers import REPO, manifest, mnist_test_set

pytestmark = pytest.mark.browser

HARNESS = "/tests/page/insights-harness.html"
MAP_BACKGROUND = (13, 18, 24)  # #0d1218, the latent map's backdrop


def open_harness(page, serve, query: str = "") -> None:
    server = serve(REPO)
    page.goto(f"{server.url}{HARNESS}?{query}")
    page.wait_for_function("window.harness !== undefined")
    page.evaluate("window.harness.ready")
    page.evaluate("() => new Promise((done) => setTimeout(done, 500))")  # let the 400-ms transition end


def show_tab(page, label: str) -> None:
    """Click a tab and wait two frames: its view sizes its canvas when it becomes visible."""
    page.click(f".ins-tab:has-text('{label}')")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


def canvas_stats(page, selector: str, background: tuple[int, int, int]) -> dict:
    """Counted in the browser (a canvas is ~400k numbers): pixels clearly unlike the view's
    background, pixels with any opacity, and a checksum that changes when the drawing does."""
    return page.eval_on_selector(selector, """(canvas, [r, g, b]) => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const stats = { inked: 0, opaque: 0, checksum: 0 };
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) > 60) stats.inked++;
            if (data[i + 3] > 0) stats.opaque++;
            stats.checksum = (stats.checksum * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) % 1000000007;
        }
        return stats;
    }""", list(background))


def harness_pixels(page) -> np.ndarray:
    return np.array(page.evaluate("Array.from(window.harness.state.pixels)"), dtype=np.float64)


def test_each_view_renders_for_the_default_export(page, serve, artifacts_dir):
    open_harness(page, serve, "digit=7&neuron=1.5&saliency=1")
    assert canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)["inked"] > 1500, "1,000 coloured probe points are drawn"
    assert page.locator(".ins-legend-class").count() == 10
    assert page.locator(".ins-weights-row").is_visible()
    assert canvas_stats(page, ".ins-saliency-overlay", (0, 0, 0))["opaque"] > 500, "the saliency overlay covers the ink"
    summary = page.evaluate("window.harness.overlay.summary")
    assert page.locator("#prediction").text_content().startswith(f"Prediction: {summary['classIndex']} "), "saliency of the predicted class"
    assert summary["maxAbs"] > 0
    page.screenshot(path=str(artifacts_dir / "insights-latent.png"), full_page=True)
    for tab, selector in (("Training", ".ins-curves-canvas"), ("Confusion", ".ins-confusion-canvas")):
        show_tab(page, tab)
        assert canvas_stats(page, selector, (0, 0, 0))["inked"] > 2000, tab
        page.screenshot(path=str(artifacts_dir / f"insights-{tab.lower()}.png"), full_page=True)
    assert page.errors == []


def test_scrubbing_changes_map_cursor_and_matrix(page, serve):
    timeline = manifest()["timeline"]
    open_harness(page, serve, "snapshot=0&tab=confusion")
    readouts = {}
    for index in (0, len(timeline) - 1):
        page.evaluate(f"window.harness.actions.setSnapshot({index})")
        page.evaluate("() => new Promise((done) => setTimeout(done, 500))")
        confusion = page.locator(".ins-confusion .ins-readout").text_content()
        right = sum(timeline[index]["metrics"]["confusion"][i][i] for i in range(10))
        assert confusion.startswith(f"{right:,} of 10,000"), confusion
        show_tab(page, "Training")
        readouts[index] = page.locator(".ins-curves .ins-readout").text_content()
        assert readouts[index].lower().startswith(timeline[index]["label"].lower())
        show_tab(page, "Latent map")
        readouts[f"map{index}"] = canvas_stats(page, ".ins-latent-canvas", MAP_BACKGROUND)["checksum"]
        show_tab(page, "Confusion")
    assert readouts["map0"] != readouts[f"map{len(timeline) - 1}"], "the points moved"
    assert page.errors == []


def test_training_chart_click_moves_the_timeline(page, serve):
    open_harness(page, serve, "snapshot=0&tab=training")
    target = len(manifest()["timeline"]) // 2
    x = page.evaluate(f"(() => {{ const v = window.harness.panel.views.get('training'); return v.toX(window.harness.state.manifest.timeline[{target}].images_seen); }})()")
    box = page.locator(".ins-curves-canvas").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + 60)
    page.wait_for_function(f"window.harness.state.snapshotIndex === {target}")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"window.harness.state.snapshotIndex === {target + 1}")
    assert page.errors == []


def test_latent_point_and_mistake_thumbnail_load_real_test_digits(page, serve, mnist_dir):
    images, _ = mnist_test_set(mnist_dir)
    entry = manifest()["timeline"][-1]
    open_harness(page, serve)
    # A latent point: hover shows its digit, click loads it.
    point = page.evaluate("""(() => {
        const v = window.harness.panel.views.get('latent');
        const i = 321;
        const [x, y] = v.toScreen(v.points.current[2 * i], v.points.current[2 * i + 1]);
        return {x, y, testIndex: v.probe.testIndices[i], label: v.probe.labels[i]};
    })()""")
    box = page.locator(".ins-latent-canvas").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    assert f"#{point['testIndex']}" in page.locator(".ins-tooltip-label").text_content()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    np.testing.assert_allclose(harness_pixels(page) * 255, images[point["testIndex"]].reshape(-1), atol=1e-3)
    assert page.locator("#prediction").text_content().startswith("Prediction:")

    # A confusion cell with exported mistakes: its thumbnails, then one loaded.
    mistake = entry["metrics"]["mistakes"][0]
    in_cell = [m for m in entry["metrics"]["mistakes"] if (m["label"], m["predicted"]) == (mistake["label"], mistake["predicted"])]
    show_tab(page, "Confusion")
    grid = page.locator(".ins-confusion-canvas").bounding_box()
    cell = (grid["width"] - 22) / 10
    page.mouse.click(grid["x"] + 22 + (mistake["predicted"] + 0.5) * cell, grid["y"] + 22 + (mistake["label"] + 0.5) * cell)
    page.wait_for_selector(".ins-thumb")
    assert page.locator(".ins-thumb").count() == len(in_cell)
    page.locator(".ins-thumb").first.click()
    np.testing.assert_allclose(harness_pixels(page) * 255, images[mistake["test_index"]].reshape(-1), atol=1e-3)
    assert page.evaluate("window.harness.log.loadDigit") == 2

    # A diagonal cell has no exported images: a friendly note instead of thumbnails.
    page.mouse.click(grid["x"] + 22 + 0.5 * cell, grid["y"] + 22 + 0.5 * cell)
    assert page.locator(".ins-thumb").count() == 0
    assert "only keeps mistakes" in page.locator(".ins-mistakes .ins-note").text_content()
    assert page.errors == []


def test_tablet_tap_shows_a_digit_and_a_second_tap_loads_it(browser, serve, artifacts_dir):
    context = browser.new_context(viewport={"width": 768, "height": 1024}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        open_harness(page, serve, "width=736")
        point = page.evaluate("""(() => {
            const v = window.harness.panel.views.get('latent');
            const [x, y] = v.toScreen(v.points.current[2 * 42], v.points.current[2 * 42 + 1]);
            return {x, y, testIndex: v.probe.testIndices[42]};
        })()""")
        box = page.locator(".ins-latent-canvas").bounding_box()
        assert box["width"] > 400, "the map grows with the full-width tablet panel"
        page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
        assert page.locator(".ins-tooltip").is_visible()
        assert f"#{point['testIndex']}" in page.locator(".ins-tooltip-label").text_content()
        assert page.evaluate("window.harness.log.loadDigit") == 0, "the first tap only shows the digit"
        page.screenshot(path=str(artifacts_dir / "insights-tablet-tap.png"), full_page=True)
        page.touchscreen.tap(box["x"] + point["x"], box["y"] + point["y"])
        assert page.evaluate("window.harness.log.loadDigit") == 1
    finally:
        context.close()
