"""Drawing on #draw-pad with real mouse strokes: real MNIST test digits traced
stroke by stroke are recognised, the 28×28 preview is the MNIST preprocessing
of exactly what was drawn, and the pad's tools (clear, eraser, raw) work."""

from __future__ import annotations

import numpy as np
import pytest
from page_helpers import (
    REPO,
    TEST_CONTEXT,
    canvas_pixels,
    draw_digit,
    first_of_each_class,
    mnist_preprocess,
    mnist_test_set,
    open_page,
    wait_for_prediction,
)

pytestmark = pytest.mark.browser


def pad_ink(page) -> np.ndarray:
    """The pad's ink 0..1, recovered from its canvas (paper → ink is a linear blend)."""
    pixels = canvas_pixels(page, "#draw-pad")[:, :, 1].astype(np.float64)
    paper, ink = 7.0, 239.0  # green channel of the pad's paper and ink colours
    return np.clip((pixels - paper) / (ink - paper), 0, 1)


def test_traced_test_digits_are_recognised(page, serve, mnist_dir, artifacts_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    predictions = []
    for index in first_of_each_class(labels):
        draw_digit(page, images[index])
        predictions.append((int(labels[index]), int(wait_for_prediction(page))))
        if labels[index] == 4:
            page.screenshot(path=str(artifacts_dir / "page-drawn-4.png"))
    correct = sum(label == predicted for label, predicted in predictions)
    print(f"traced digits (label, prediction): {predictions}")
    assert correct >= 8, f"only {correct}/10 traced digits recognised: (label, prediction) {predictions}"
    assert page.errors == []


def test_preview_is_the_mnist_preprocessing_of_the_drawing(page, serve, mnist_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    draw_digit(page, images[first_of_each_class(labels)[5]])
    wait_for_prediction(page)
    preview = canvas_pixels(page, "#preview")[:, :, 0] / 255
    expected = mnist_preprocess(pad_ink(page))
    assert preview.shape == (28, 28)
    # 8-bit canvases on both sides: allow their rounding, nothing more.
    assert np.abs(preview - expected).mean() < 0.01, np.abs(preview - expected).mean()
    assert np.abs(preview - expected).max() < 0.08, np.abs(preview - expected).max()
    rows, columns = np.nonzero(preview > 0.05)
    assert max(rows.max() - rows.min(), columns.max() - columns.min()) + 1 in (20, 21), "fits 20×20"
    mass = preview.sum()
    centre = (
        ((np.arange(28)[:, None] + 0.5) * preview).sum() / mass,
        ((np.arange(28)[None, :] + 0.5) * preview).sum() / mass,
    )
    assert abs(centre[0] - 14) < 0.5 and abs(centre[1] - 14) < 0.5, centre
    assert page.errors == []


def test_clear_eraser_and_raw_view(page, serve, mnist_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    draw_digit(page, images[first_of_each_class(labels)[1]])
    wait_for_prediction(page)
    processed = canvas_pixels(page, "#preview")[:, :, 0]
    page.check("input[name=input-mode][value=raw]", force=True)
    page.wait_for_function("document.querySelector('#preview-note').textContent.includes('without centring')")
    raw = canvas_pixels(page, "#preview")[:, :, 0]
    assert not np.array_equal(raw, processed)
    # Raw: the whole 280×280 pad averaged over 10×10 blocks, no cropping or centring.
    blocks = pad_ink(page).reshape(28, 10, 28, 10).mean(axis=(1, 3))
    assert np.abs(raw / 255 - blocks).max() < 0.02
    page.check("input[name=input-mode][value=processed]", force=True)
    # Erase everything with the right mouse button: the pad is blank again, no prediction.
    box = page.locator("#draw-pad").bounding_box()
    page.evaluate(
        "(v) => { const r = document.querySelector('#brush-size'); r.value = v; r.dispatchEvent(new Event('input')); }",
        44,
    )
    for step in range(0, 15):
        y = box["y"] + (step + 0.5) * box["height"] / 15
        page.mouse.move(box["x"] + 1, y)
        page.mouse.down(button="right")
        page.mouse.move(box["x"] + box["width"] - 1, y, steps=3)
        page.mouse.up(button="right")
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction === ''")
    assert pad_ink(page).max() < 0.05
    draw_digit(page, images[first_of_each_class(labels)[7]])
    wait_for_prediction(page)
    before = pad_ink(page).sum()
    page.click("#eraser")  # the toggle turns the primary button into an eraser
    assert page.get_attribute("#eraser", "aria-pressed") == "true"
    page.mouse.move(box["x"] + 5, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 5, box["y"] + box["height"] / 2, steps=2)
    page.mouse.up()
    page.wait_for_timeout(200)
    assert pad_ink(page).sum() < before
    page.click("#eraser")
    assert page.get_attribute("#eraser", "aria-pressed") == "false"
    page.click("#clear")
    page.wait_for_function("document.querySelector('#prediction').dataset.prediction === ''")
    assert canvas_pixels(page, "#preview")[:, :, 0].max() == 0
    assert page.errors == []


def test_fast_touch_strokes_draw_without_scrolling(browser, serve):
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 768, "height": 1024}, has_touch=True)
    page = context.new_page()
    try:
        server = serve(REPO)
        open_page(page, server.url + "/")
        box = page.locator("#draw-pad").bounding_box()
        y = box["y"] + box["height"] / 2
        # One long, fast stroke as two touch points only: the line must still be continuous.
        page.evaluate(
            """([x0, x1, y]) => {
            const pad = document.querySelector('#draw-pad');
            const fire = (type, x) => pad.dispatchEvent(new PointerEvent(type, { pointerId: 7, pointerType: 'touch', isPrimary: true,
                clientX: x, clientY: y, button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1, bubbles: true, cancelable: true }));
            fire('pointerdown', x0); fire('pointermove', x1); fire('pointerup', x1);
        }""",
            [box["x"] + 20, box["x"] + box["width"] - 20, y],
        )
        wait_for_prediction(page)
        row = pad_ink(page)[140]
        assert (row[25:255] > 0.99).all(), "no gaps along a fast stroke"
        assert page.evaluate("window.scrollY") == 0
    finally:
        context.close()
