"""The CNN export (format 2) in the page: it opens by ?export=, its feature maps and dense
layers render, and real MNIST test digits traced on the pad are recognised."""

from __future__ import annotations

import numpy as np
import pytest
from page_helpers import (
    REPO,
    canvas_pixels,
    draw_digit,
    first_of_each_class,
    mnist_test_set,
    open_page,
    wait_for_prediction,
)

pytestmark = pytest.mark.browser

CNN = "exports/cnn_weights.json"


def test_cnn_export_opens_and_recognises_traced_test_digits(page, serve, mnist_dir, artifacts_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, f"{server.url}/?export={CNN}")
    predictions = []
    for index in first_of_each_class(labels):
        draw_digit(page, images[index])
        predictions.append((int(labels[index]), int(wait_for_prediction(page))))
        if labels[index] == 4:
            page.screenshot(path=str(artifacts_dir / "page-cnn-drawn-4.png"))
    correct = sum(label == predicted for label, predicted in predictions)
    print(f"CNN traced digits (label, prediction): {predictions}")
    assert correct == 10, f"only {correct}/10 traced digits recognised by the CNN: {predictions}"
    # The layer titles of the 3D view name the feature-map cards and the dense part.
    titles = page.locator("#network-labels .layer").all_text_contents()
    assert titles[:5] == ["Input", "Conv · 8 maps", "Pool · 8 maps", "Conv · 16 maps", "Pool · 16 maps"], titles
    assert "Flatten · 784" in titles and "Output" in titles
    assert page.errors == []


def test_model_switch_keeps_the_drawing(page, serve, mnist_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    switch = page.locator("#model-switch")
    assert switch.input_value() == "exports/mlp_weights.json"
    assert [o.strip() for o in switch.locator("option").all_text_contents()] == ["MLP", "CNN"]
    draw_digit(page, images[first_of_each_class(labels)[3]])
    assert wait_for_prediction(page) == "3"
    before = canvas_pixels(page, "#preview")
    switch.select_option("exports/cnn_weights.json")
    page.wait_for_url("**/?export=exports/cnn_weights.json#**")  # the hash names the export: "/" in it
    page.wait_for_function("document.body.dataset.ready === 'true'")
    assert wait_for_prediction(page) == "3"
    assert page.locator("#model-switch").input_value() == "exports/cnn_weights.json"
    after = canvas_pixels(page, "#preview")
    assert np.abs(after.astype(int) - before.astype(int)).max() <= 1, "the same 28×28 drawing after the switch"
    # And back: the MLP gets the same drawing again.
    page.locator("#model-switch").select_option("exports/mlp_weights.json")
    page.wait_for_url("**/?export=exports/mlp_weights.json#**")  # the hash names the export: "/" in it
    page.wait_for_function("document.body.dataset.ready === 'true'")
    assert wait_for_prediction(page) == "3"
    assert np.abs(canvas_pixels(page, "#preview").astype(int) - before.astype(int)).max() <= 1
    assert page.errors == []
