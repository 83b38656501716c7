"""The page on an export trained with --val-size (the session's short validation run):
validation as a third, labelled line in the training curves, and a marker on the
timeline at the best snapshot; an export without validation shows neither."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
VIOLET = (0xC7, 0x92, 0xEA)  # VALIDATION_COLOUR in training-curves-view.js


@pytest.fixture(scope="module")
def site(tmp_path_factory, short_val_run) -> Path:
    """The page and its default exports (linked), plus the validation run's export in val/."""
    root = tmp_path_factory.mktemp("site")
    for name in ("index.html", "favicon.svg", "assets", "exports"):
        (root / name).symlink_to(REPO / name)
    shutil.copytree(short_val_run.manifest_path.parent, root / "val")
    return root


def open_training_tab(browser, url: str):
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    page.locator(".ins-tab").nth(1).click()  # Latent map, Training, Confusion
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return page


def violet_pixels(page) -> int:
    return page.eval_on_selector(
        ".ins-curves-canvas",
        """(canvas, [r, g, b]) => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) {
            if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) count++;
        }
        return count;
    }""",
        list(VIOLET),
    )


def test_validation_curve_and_best_marker(browser, serve, site, short_val_run):
    manifest = short_val_run.result.manifest
    best = manifest["validation"]["best_index"]
    page = open_training_tab(browser, f"{serve(site).url}/?export=val/mlp_weights.json")
    marker = page.locator("#timeline-best")
    assert marker.is_visible()
    assert marker.get_attribute("data-best") == manifest["timeline"][best]["id"]
    assert manifest["timeline"][best]["label"] in marker.get_attribute("title")
    # on the sparkline where the best snapshot's point is (the range thumb's centre runs 8 px in)
    width = page.eval_on_selector("#timeline-sparkline", "canvas => canvas.clientWidth")
    left = float(marker.evaluate("element => element.style.left").removesuffix("px"))
    assert left == pytest.approx(8 + best / (len(manifest["timeline"]) - 1) * (width - 16), abs=0.5)
    assert violet_pixels(page) > 100
    readout = page.locator(".ins-curves .ins-readout").text_content()
    final = manifest["timeline"][-1]["metrics"]
    assert f"(validation: {final['val_accuracy']:.1%} right, loss {final['val_loss']:.3f})" in readout
    assert page.errors == []
    page.context.close()


def test_german_labels(browser, serve, site):
    page = open_training_tab(browser, f"{serve(site).url}/?lang=de&export=val/mlp_weights.json")
    assert "(Validierung: " in page.locator(".ins-curves .ins-readout").text_content()
    assert page.locator("#timeline-best").get_attribute("title").startswith("Bester Stand nach Validierungsverlust: ")
    page.context.close()


def test_an_export_without_validation_shows_neither(browser, serve, site):
    page = open_training_tab(browser, f"{serve(site).url}/")
    assert page.locator("#timeline-best").is_hidden()
    assert violet_pixels(page) == 0
    assert "validation" not in page.locator(".ins-curves .ins-readout").text_content()
    page.context.close()
