"""Oracle: the page's JavaScript forward pass (tests/js/oracle-check.mjs, using
the real page modules) on a real snapshot's float16 weights matches PyTorch's
on the same weights cast to float32, for 200 real MNIST test images."""

from __future__ import annotations

import json
import subprocess

import pytest
import torch
from page_helpers import DEFAULT_MANIFEST, REPO, manifest, mnist_test_set
from safetensors.torch import load_file

IMAGES = 200


def torch_logits(weights: dict[str, torch.Tensor], images: torch.Tensor, layer_count: int) -> torch.Tensor:
    x = images
    for i in range(layer_count):
        x = torch.nn.functional.linear(x, weights[f"layers.{i}.weight"].float(), weights[f"layers.{i}.bias"].float())
        if i < layer_count - 1:
            x = torch.relu(x)
    return x


@pytest.mark.parametrize("position", [0, -1], ids=["untrained", "trained"])
def test_js_forward_pass_matches_pytorch(tmp_path, mnist_dir, position):
    data = manifest()
    entry = data["timeline"][position]
    snapshot = DEFAULT_MANIFEST.parent / entry["file"]
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
    fixture = tmp_path / "oracle.json"
    fixture.write_text(
        json.dumps(
            {
                "input": spec,
                "images": [
                    {"pixels": image.reshape(-1).tolist(), "logits": row.tolist()} for image, row in zip(chosen, logits)
                ],
            }
        )
    )
    run = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "oracle-check.mjs"), str(fixture), str(snapshot)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["count"] == IMAGES
    assert result["maxAbsDiff"] <= 1e-3, result
    assert result["argmaxMismatches"] == 0, result
