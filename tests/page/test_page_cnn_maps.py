"""The CNN's feature maps in the real page: hovering a pixel of a conv or pool map draws its
receptive field (as many lines as it has sources, back to the right stage), and clicking one
shows its map's kernels and statistics, checked against PyTorch on the same input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from insights_helpers import shown_digit, two_frames
from page_helpers import REPO, open_page, wait_for_prediction
from safetensors.torch import load_file
from test_oracle import torch_layers

pytestmark = pytest.mark.browser

CNN = "exports/cnn_weights.json"
MANIFEST = json.loads((REPO / CNN).read_text())
LAYERS = MANIFEST["model"]["layers"]
TITLES = {1: "Conv · 8 maps", 2: "Pool · 8 maps", 3: "Conv · 16 maps", 4: "Pool · 16 maps"}


def readout(page) -> dict:
    text = page.get_attribute("#network", "data-receptive-field") or ""
    return {key: int(value) for key, value in (part.split("=") for part in text.split())}


def hover_card(page, stage: int) -> tuple[float, float, dict]:
    """Move the mouse up from the card's title until a value of that stage is under it."""
    label = page.locator("#network-labels .layer", has_text=TITLES[stage]).bounding_box()
    x = label["x"] + label["width"] / 2
    for step in range(1, 80):
        y = label["y"] - 4 * step
        page.mouse.move(x, y)
        two_frames(page)
        shown = readout(page)
        if shown.get("layer") == stage:
            return x, y, shown
    raise AssertionError(f"no value of stage {stage} found above its title")


def expected_lines(stage: int, row: int, column: int) -> int:
    """Sources of one value: every in-bounds tap of the window, over all input maps for a conv."""
    layer = LAYERS[stage - 1]
    k, stride, padding = layer["kernel_size"], layer["stride"], layer.get("padding", 0)
    channels, rows, columns = layer["input_shape"]

    def inside(at, size):
        return sum(0 <= at * stride - padding + i < size for i in range(k))

    return (channels if layer["type"] == "conv2d" else 1) * inside(row, rows) * inside(column, columns)


@pytest.fixture
def cnn_page(page, serve):
    server = serve(REPO)
    open_page(page, f"{server.url}/?export={CNN}")
    page.click("#digit-3")  # a real test digit from the export's probe set
    wait_for_prediction(page)
    return page


def test_hovering_feature_map_values_shows_their_receptive_fields(cnn_page, artifacts_dir):
    page = cnn_page
    assert readout(page) == {}
    for stage in (1, 2, 3, 4):
        _, _, shown = hover_card(page, stage)
        layer = LAYERS[stage - 1]
        assert shown["from"] == stage - 1, shown
        assert 0 <= shown["map"] < layer["output_shape"][0]
        assert shown["lines"] == expected_lines(stage, shown["row"], shown["column"]), shown
        if stage == 3:
            page.screenshot(path=str(artifacts_dir / "page-cnn-receptive-field.png"))
    # An interior value of the second convolution reads k·k·C = 5·5·8 sources.
    assert max(expected_lines(3, r, c) for r in range(14) for c in range(14)) == 200
    page.mouse.move(5, 5)  # off the 3D view: nothing hovered
    two_frames(page)
    assert readout(page) == {}
    assert page.errors == []


def test_clicking_a_feature_map_shows_its_kernels_and_statistics(cnn_page, artifacts_dir):
    page = cnn_page
    pixels = shown_digit(page).astype(np.float32) / 255
    spec = MANIFEST["model"]["input"]
    weights = load_file(str(REPO / "exports" / MANIFEST["timeline"][-1]["file"]))
    x = torch.from_numpy(((pixels - spec["mean"]) / spec["std"]).reshape(1, 784))
    for stage in (1, 2, 3):
        x_hover, y_hover, shown = hover_card(page, stage)
        page.mouse.click(x_hover, y_hover)
        page.wait_for_function(f"document.querySelector('#neuron-map')?.dataset.stage === '{stage}'")
        assert not page.is_hidden("#neuron-map")
        assert readout(page)["layer"] == stage, "the selected value keeps its receptive field"
        layer = LAYERS[stage - 1]
        assert page.get_attribute("#neuron-map", "data-map") == str(shown["map"])
        with torch.no_grad():
            maps = torch_layers(weights, LAYERS[:stage], x)[0, shown["map"]].numpy()
        stats = page.eval_on_selector("#neuron-map-stats", "(dl) => ({ ...dl.dataset })")
        tolerance = 1e-3 * max(1.0, float(np.abs(maps).max()))
        assert abs(float(stats["min"]) - maps.min()) <= tolerance, (stats, maps.min())
        assert abs(float(stats["max"]) - maps.max()) <= tolerance, (stats, maps.max())
        assert abs(float(stats["mean"]) - maps.mean()) <= tolerance, (stats, maps.mean())
        assert abs(float(stats["active"]) - (maps > 0).mean()) <= 2 / maps.size, (stats, (maps > 0).mean())
        kernels = page.locator("#neuron-kernels canvas.kernel")
        if layer["type"] == "conv2d":
            assert kernels.count() == layer["in_channels"]
            bias = float(weights[layer["bias"]][shown["map"]])
            assert abs(float(page.inner_text("#neuron-bias")) - bias) <= 1e-3
            kernel = weights[layer["weight"]][shown["map"]].float().numpy()  # [in, k, k]
            strongest = np.abs(kernel).max()
            for channel in range(layer["in_channels"]):
                image = page.eval_on_selector(
                    f"#neuron-kernels canvas[data-channel='{channel}']",
                    "(c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)",
                )
                rgba = np.array(image).reshape(layer["kernel_size"], layer["kernel_size"], 4)
                warm = rgba[..., 0].astype(int) > rgba[..., 2]
                # Orange for clearly positive weights, blue for clearly negative ones (the palette's sign).
                clear = np.abs(kernel[channel]) > 0.2 * strongest
                np.testing.assert_array_equal(warm[clear], kernel[channel][clear] > 0)
        else:
            assert kernels.count() == 0
            assert "2×2" in page.inner_text("#neuron-map")
        if stage == 1:
            page.locator("#neuron-panel").screenshot(path=str(artifacts_dir / "page-cnn-map-details.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector("#neuron-map", state="hidden")
    assert page.errors == []
