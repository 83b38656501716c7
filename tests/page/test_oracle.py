"""Oracle: the page's JavaScript forward pass (tests/js/oracle-check.mjs, using
the real page modules) on a real snapshot's float16 weights matches PyTorch's
on the same weights cast to float32, for 200 real MNIST test images."""

from __future__ import annotations

import json
import subprocess

import pytest
import torch
from page_helpers import REPO, VERSION_1_MANIFEST, manifest_v1, mnist_test_set
from safetensors.torch import load_file

IMAGES = 200


def torch_logits(weights: dict[str, torch.Tensor], images: torch.Tensor, layer_count: int) -> torch.Tensor:
    x = images
    for i in range(layer_count):
        x = torch.nn.functional.linear(x, weights[f"layers.{i}.weight"].float(), weights[f"layers.{i}.bias"].float())
        if i < layer_count - 1:
            x = torch.relu(x)
    return x


def js_oracle(tmp_path, spec: dict, images, logits: torch.Tensor, snapshot, *manifest_path) -> dict:
    """The page's forward pass (tests/js/oracle-check.mjs) on `images` and `snapshot`,
    compared by node with PyTorch's `logits`: {count, maxAbsDiff, argmaxMismatches}."""
    fixture = tmp_path / "oracle.json"
    rows = [{"pixels": image.reshape(-1).tolist(), "logits": row.tolist()} for image, row in zip(images, logits)]
    fixture.write_text(json.dumps({"input": spec, "images": rows}))
    command = ["node", str(REPO / "tests" / "js" / "oracle-check.mjs"), str(fixture), str(snapshot)]
    run = subprocess.run([*command, *map(str, manifest_path)], capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("position", [0, -1], ids=["untrained", "trained"])
def test_js_forward_pass_matches_pytorch(tmp_path, mnist_dir, position):
    data = manifest_v1()  # version 1: the page's MLP straight from the tensors, no layer list
    entry = data["timeline"][position]
    snapshot = VERSION_1_MANIFEST.parent / entry["file"]
    weights = load_file(str(snapshot))
    assert all(
        weights[f"layers.{i}.weight"].dtype == torch.float16 for i in range(len(data["model"]["layer_sizes"]) - 1)
    )
    images, _ = mnist_test_set(mnist_dir)
    chosen = images[:: len(images) // IMAGES][:IMAGES]
    spec = data["model"]["input"]
    x = (torch.from_numpy(chosen.reshape(IMAGES, 784).astype("float32")) / spec["scale"] - spec["mean"]) / spec["std"]
    with torch.no_grad():
        logits = torch_logits(weights, x, len(data["model"]["layer_sizes"]) - 1)
    result = js_oracle(tmp_path, spec, chosen, logits, snapshot)
    assert result["count"] == IMAGES
    assert result["maxAbsDiff"] <= 1e-3, result
    assert result["argmaxMismatches"] == 0, result


CNN_MANIFEST = REPO / "exports" / "cnn_weights.json"
ACTIVATIONS = {
    None: lambda x: x,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "gelu": torch.nn.functional.gelu,
}


def torch_layers(weights: dict[str, torch.Tensor], layers: list[dict], x: torch.Tensor) -> torch.Tensor:
    """The export's layer list (format 2) in PyTorch, written from docs/export-format.md."""
    f = torch.nn.functional
    x = x.reshape(len(x), *layers[0]["input_shape"])
    for layer in layers:
        kind = layer["type"]
        weight = weights[layer["weight"]].float() if "weight" in layer else None
        bias = weights[layer["bias"]].float() if layer.get("bias") else None
        if kind == "conv2d":
            x = f.conv2d(x, weight, bias, stride=layer["stride"], padding=layer["padding"])
        elif kind == "maxpool2d":
            x = f.max_pool2d(x, layer["kernel_size"], layer["stride"])
        elif kind == "flatten":
            x = x.flatten(1)
        else:
            x = f.linear(x, weight, bias)
        x = ACTIVATIONS[layer["activation"]](x)
    return x


@pytest.mark.parametrize("position", [0, 5, -1], ids=["untrained", "early", "trained"])
def test_js_forward_pass_matches_pytorch_on_the_cnn(tmp_path, mnist_dir, position):
    data = json.loads(CNN_MANIFEST.read_text())
    assert data["format_version"] == 2
    entry = data["timeline"][position]
    snapshot = CNN_MANIFEST.parent / entry["file"]
    weights = load_file(str(snapshot))
    assert weights["layers.0.weight"].dtype == torch.float16 and weights["layers.0.weight"].dim() == 4
    images, _ = mnist_test_set(mnist_dir)
    chosen = images[: IMAGES * 50 : 50]
    spec = data["model"]["input"]
    x = (torch.from_numpy(chosen.reshape(IMAGES, 784).astype("float32")) / spec["scale"] - spec["mean"]) / spec["std"]
    with torch.no_grad():
        logits = torch_layers(weights, data["model"]["layers"], x)
    result = js_oracle(tmp_path, spec, chosen, logits, snapshot, CNN_MANIFEST)
    print(f"CNN oracle {entry['id']}: {result}")
    assert result["count"] == IMAGES
    assert result["maxAbsDiff"] <= 1e-3, result
    assert result["argmaxMismatches"] == 0, result
