"""The CNN export (format 2) in the page: it opens by ?export=, its feature maps and dense
layers render, and real MNIST test digits traced on the pad are recognised."""

from __future__ import annotations

import pytest
from page_helpers import REPO, draw_digit, first_of_each_class, mnist_test_set, open_page, wait_for_prediction

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
