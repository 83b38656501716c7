"""Keyboard and screen-reader use of the 3D view and the prediction: neurons picked with the
keyboard alone (every layer of the MLP and of the CNN, the details opened with Enter, the
focused neuron marked in 3D and read out), and the prediction announced politely once the
drawing is still, not on every stroke."""

from __future__ import annotations

import numpy as np
import pytest
from page_helpers import REPO, draw_digit, first_of_each_class, mnist_test_set, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

# The layers as the keyboard reads them out ("Hidden 1: neuron 1 of 128, …").
MLP_LAYERS = ["Input 28×28", "Hidden 1", "Hidden 2", "Output"]
CNN_LAYERS = ["Input 28×28", "Conv 1 · 8 maps", "Pool 2 · 8 maps", "Conv 3 · 16 maps", "Pool 4 · 16 maps"]
CNN_LAYERS += ["Flatten 5", "Hidden 6", "Output"]


def focus_text(page) -> str:
    return page.text_content("#network-focus")


def stage_png(page) -> np.ndarray:
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(page.locator("#network").screenshot())).convert("RGB"), dtype=np.int16)


def walk_every_layer(page, names: list[str]) -> None:
    """From the canvas's first focus, Page Up to the input, then Page Down through every
    layer: each is read out, the mark moves in 3D, and Enter opens its neuron's details."""
    page.focus("#network")
    assert page.evaluate("document.activeElement.id") == "network"
    assert focus_text(page).startswith(names[1] + ":"), focus_text(page)
    page.keyboard.press("PageUp")
    before = stage_png(page)
    for stage, name in enumerate(names):
        if stage:
            page.keyboard.press("PageDown")
        assert focus_text(page).startswith(name + ":"), (stage, focus_text(page))
        layer = page.get_attribute("#network", "data-focus").split(".")[0]
        assert layer == str(stage)
        page.keyboard.press("Enter")
        page.wait_for_selector("#neuron-details:not([hidden])")
        name_shown = page.text_content("#neuron-name")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "(before) => document.querySelector('#neuron-name').textContent !== before", arg=name_shown
        )
    after = stage_png(page)
    assert np.abs(after - before).max() > 60, "the focused neuron is marked in the 3D view"
    page.keyboard.press("Escape")
    page.wait_for_selector("#neuron-details", state="hidden")
    page.keyboard.press("End")
    assert focus_text(page).startswith(names[-1] + ": digit 9"), focus_text(page)


def test_keyboard_reaches_every_mlp_layer_and_opens_the_details(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-5")
    wait_for_prediction(page)
    assert page.get_attribute("#network", "tabindex") == "0"
    walk_every_layer(page, MLP_LAYERS)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#network", "data-focus") == "3.1", "the output is one column: down is the next digit"
    assert page.errors == []


def test_keyboard_reaches_every_cnn_layer_moving_between_feature_maps(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?export=exports/cnn_weights.json")
    page.click("#digit-5")
    wait_for_prediction(page)
    walk_every_layer(page, CNN_LAYERS)
    page.keyboard.press("PageUp")
    for _ in range(6):
        page.keyboard.press("PageUp")
    assert focus_text(page).startswith("Input 28×28:")
    page.keyboard.press("PageDown")
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert focus_text(page).startswith("Conv 1 · 8 maps: map 2 of 8, strongest value"), focus_text(page)
    # in 3D the focused map's strongest value is outlined with its receptive field, as on hover
    # (drawn on the next frame)
    page.wait_for_function(
        "(document.querySelector('#network').dataset.receptiveField || '').startsWith('layer=1 map=1 ')"
    )
    assert page.errors == []


RECORD = """
() => {
  window.heard = [];
  window.changes = [];
  new MutationObserver(() => heard.push([performance.now(), document.querySelector('#prediction-announcement').textContent]))
    .observe(document.querySelector('#prediction-announcement'), { childList: true, characterData: true, subtree: true });
  new MutationObserver(() => changes.push(performance.now()))
    .observe(document.querySelector('#prediction'), { childList: true, characterData: true, subtree: true, attributes: true });
}
"""


def test_the_prediction_is_announced_once_the_drawing_is_still(page, serve, mnist_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    assert page.get_attribute("#prediction", "aria-live") is None, "the changing answer itself is not a live region"
    assert page.get_attribute("#prediction-announcement", "aria-live") == "polite"
    page.evaluate(RECORD)
    index = first_of_each_class(labels)[3]
    draw_digit(page, images[index])
    digit = wait_for_prediction(page)
    page.wait_for_function("window.heard.length > 0", timeout=5_000)
    page.wait_for_timeout(1_000)
    heard, changes = page.evaluate("[window.heard, window.changes]")
    assert len(changes) > 3 * len(heard), f"{len(changes)} changes of the answer, {len(heard)} announcements"
    for at, _ in heard:
        last_change = max(time for time in changes if time <= at)
        assert at - last_change >= 450, "announced only after the answer stood still for ~500 ms"
    texts = [text for _, text in heard]
    assert all(a != b for a, b in zip(texts, texts[1:])), "the same answer is never said twice in a row"
    assert texts[-1].startswith(f"The network now says {digit},"), texts
    page.click("#digit-3")  # the same answer again (a 3): nothing new to say
    wait_for_prediction(page)
    page.wait_for_timeout(900)
    if page.get_attribute("#prediction", "data-prediction") == digit:
        assert page.evaluate("window.heard.length") == len(heard)
    assert page.errors == []
