"""Version 2 exports (docs/export-format.md, "the model as a list of layers"): a small
CNN written here by the documented rules — conv2d (one without bias), maxpool2d,
flatten, linear, every activation — read by the toolkit and checked against a PyTorch
model built independently; and every version-2 export committed in exports/."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from safetensors.numpy import save as save_safetensors
from toolkit_helpers import REPO
from torch import nn

from training.toolkit.cli import main
from training.toolkit.evaluate import compute_metrics
from training.toolkit.reader import open_export
from training.toolkit.report import FIGURES, render

# (manifest layer, module index in the reference nn.Sequential or None, activation module)
LAYERS = [
    {
        "type": "conv2d",
        "input_shape": [1, 28, 28],
        "output_shape": [4, 28, 28],
        "in_channels": 1,
        "out_channels": 4,
        "kernel_size": 3,
        "stride": 1,
        "padding": 1,
        "activation": "relu",
    },
    {
        "type": "maxpool2d",
        "input_shape": [4, 28, 28],
        "output_shape": [4, 14, 14],
        "kernel_size": 2,
        "stride": 2,
        "activation": None,
    },
    {
        "type": "conv2d",
        "input_shape": [4, 14, 14],
        "output_shape": [6, 12, 12],
        "in_channels": 4,
        "out_channels": 6,
        "kernel_size": 3,
        "stride": 1,
        "padding": 0,
        "activation": "gelu",
        "bias": None,
    },
    {
        "type": "maxpool2d",
        "input_shape": [6, 12, 12],
        "output_shape": [6, 6, 6],
        "kernel_size": 2,
        "stride": 2,
        "activation": None,
    },
    {"type": "flatten", "input_shape": [6, 6, 6], "output_shape": [216], "activation": None},
    {
        "type": "linear",
        "input_shape": [216],
        "output_shape": [16],
        "in_features": 216,
        "out_features": 16,
        "activation": "tanh",
    },
    {
        "type": "linear",
        "input_shape": [16],
        "output_shape": [12],
        "in_features": 16,
        "out_features": 12,
        "activation": "sigmoid",
    },
    {
        "type": "linear",
        "input_shape": [12],
        "output_shape": [10],
        "in_features": 12,
        "out_features": 10,
        "activation": None,
    },
]


def reference_model() -> nn.Sequential:
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, bias=False), nn.GELU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(216, 16), nn.Tanh(),
        nn.Linear(16, 12), nn.Sigmoid(),
        nn.Linear(12, 10),
    )  # fmt: skip


WEIGHTED = {0: 1, 2: 4, 5: 8, 6: 10, 7: 12}  # manifest layer → module of reference_model()


def snapshot_tensors(model: nn.Sequential) -> dict[str, np.ndarray]:
    tensors = {}
    for position, index in WEIGHTED.items():
        module = model[index]
        tensors[f"layers.{position}.weight"] = module.weight.detach().numpy().astype(np.float16)
        if module.bias is not None:
            tensors[f"layers.{position}.bias"] = module.bias.detach().numpy().astype(np.float16)
    return tensors


def rounded(model: nn.Sequential) -> nn.Sequential:
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.copy_(parameter.half().float())
    return model.eval()


@pytest.fixture(scope="module")
def cnn_export(tmp_path_factory, test_set) -> tuple[Path, list[nn.Sequential]]:
    """A two-snapshot version-2 CNN export with real metrics on the test set."""
    folder = tmp_path_factory.mktemp("cnn")
    (folder / "tiny_cnn").mkdir()
    torch.manual_seed(3)
    models, timeline = [], []
    inputs, labels = (
        test_set.normalised(open_export(REPO / "exports" / "mlp_weights.json").input),
        test_set.label_tensor(),
    )
    probe_indices = np.concatenate([np.flatnonzero(test_set.labels == d)[:100] for d in range(10)])
    for index, (snapshot_id, label, seen) in enumerate([("init", "untrained", 0), ("img6000", "6k images", 6000)]):
        model = rounded(reference_model())
        models.append(model)
        with torch.no_grad():
            metrics = compute_metrics(model(inputs), labels)
        tensors = snapshot_tensors(model)
        tensors["latent.mean"] = np.zeros(12, dtype=np.float16)
        tensors["latent.components"] = np.eye(2, 12, dtype=np.float16)
        tensors["latent.coords"] = np.random.default_rng(index).uniform(-1, 1, (1000, 2)).astype(np.float16)
        payload = save_safetensors(tensors, {"format": "mnist-mlp-timeline", "format_version": "2"})
        name = f"tiny_cnn/{index:03d}_{snapshot_id}.safetensors"
        (folder / name).write_bytes(payload)
        for number, mistake in enumerate(metrics["mistakes"]):
            mistake["gallery_index"] = number
        timeline.append(
            {"index": index, "id": snapshot_id, "label": label, "images_seen": seen, "step": index * 50,
             "epoch": seen / 60000, "file": name, "bytes": len(payload),
             "sha256": hashlib.sha256(payload).hexdigest(), "metrics": metrics}
        )  # fmt: skip
    gallery_indices = np.array([m["test_index"] for m in timeline[-1]["metrics"]["mistakes"]])
    files = {}
    for which, indices in (("probe", probe_indices), ("gallery", gallery_indices)):
        payload = save_safetensors(
            {
                "images": test_set.images[indices],
                "labels": test_set.labels[indices],
                "test_indices": indices.astype(np.int32),
            }
        )
        (folder / f"tiny_cnn/{which}.safetensors").write_bytes(payload)
        files[which] = {"file": f"tiny_cnn/{which}.safetensors", "bytes": len(payload),
                        "sha256": hashlib.sha256(payload).hexdigest(), "count": len(indices)}  # fmt: skip
    layers = []
    for position, layer in enumerate(LAYERS):
        entry = {"module": str(position), **layer}
        if layer["type"] in ("conv2d", "linear"):
            entry["weight"] = f"layers.{position}.weight"
            entry.setdefault("bias", f"layers.{position}.bias")
        layers.append(entry)
    manifest = {
        "format": "mnist-mlp-timeline",
        "format_version": 2,
        "created_utc": "2026-12-03T09:00:00Z",
        "model": {
            "architecture": "cnn",
            "input": {"shape": [28, 28], "scale": 255, "mean": 0.1307, "std": 0.3081},
            "layers": layers,
            "class_names": [str(d) for d in range(10)],
            "parameter_count": sum(p.numel() for p in models[-1].parameters()),
            "tensor_dtype": "F16",
        },
        "training": {"dataset": {"name": "MNIST", "train_size": 60000, "test_size": 10000}, "versions": {},
                     "duration_seconds": 1.0, "completed": False, "stopped_early_note": "a test export"},
        "latent": {"layer": 6, "method": "pca2d+procrustes", "probe_size": 1000},
        **files,
        "timeline": timeline,
        "loss_history": {"images_seen": [3000, 6000], "loss": [2.2, 2.1]},
    }  # fmt: skip
    path = folder / "tiny_cnn.json"
    path.write_text(json.dumps(manifest))
    return path, models


def test_the_reader_builds_the_documented_network(cnn_export, test_set):
    path, models = cnn_export
    export = open_export(path)
    assert export.version == 2
    assert export.describe_architecture() == "CNN 784-conv4-pool-conv6-pool-16-12-10"
    inputs = test_set.normalised(export.input)[:500]
    for entry, reference in zip(export.timeline, models):
        network = export.network(entry)
        with torch.no_grad():
            assert torch.equal(network.logits(inputs), reference(inputs))
            assert torch.equal(network.hidden(inputs), reference[:-1](inputs))  # the latent layer's output
    assert network.model[4].bias is None  # the conv2d whose bias is null


def test_evaluate_info_predict_and_onnx_work_on_version_2(cnn_export, mnist_dir, tmp_path, test_set, capsys):
    path, _ = cnn_export
    assert main(["evaluate", "--all", "--export", str(path), "--data-dir", str(mnist_dir)]) == 0
    assert main(["info", "--export", str(path)]) == 0
    out = capsys.readouterr().out
    assert "conv2d 4 → 6, 3×3, stride 1, padding 0" in out and "gelu" in out and "sigmoid" in out
    from PIL import Image

    Image.fromarray(test_set.images[0]).save(tmp_path / "digit.png")
    assert main(["predict", str(tmp_path / "digit.png"), "--json", "--export", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["file"] == str(tmp_path / "digit.png") and len(record["probabilities"]) == 10
    assert main(["onnx", str(tmp_path / "cnn.onnx"), "--export", str(path), "--data-dir", str(mnist_dir)]) == 0
    assert (tmp_path / "cnn.onnx").stat().st_size > 10_000


def test_an_edited_version_2_manifest_is_caught(cnn_export, mnist_dir, tmp_path, capsys):
    path, _ = cnn_export
    manifest = json.loads(path.read_text())
    manifest["timeline"][1]["metrics"]["per_class_accuracy"][7] += 0.01
    edited = path.parent / "edited.json"
    edited.write_text(json.dumps(manifest))
    assert main(["evaluate", "--all", "--export", str(edited), "--data-dir", str(mnist_dir)]) == 1
    assert capsys.readouterr().err.startswith("training evaluate: error: img6000: accuracy on 7s: the manifest says")


def test_report_draws_the_first_convolutions_kernels(cnn_export, tmp_path):
    path, _ = cnn_export
    export = open_export(path)
    weights = next(spec for spec in FIGURES if spec.name == "first-layer-weights")
    render(weights, export, export.timeline[-1], tmp_path)
    from PIL import Image

    with Image.open(tmp_path / "first-layer-weights.png") as image:
        assert image.size == weights.size


COMMITTED_V2 = sorted(
    path for path in (REPO / "exports").glob("*.json") if json.loads(path.read_text()).get("format_version") == 2
)


@pytest.mark.slow
@pytest.mark.parametrize("manifest", COMMITTED_V2, ids=[path.name for path in COMMITTED_V2])
def test_committed_version_2_exports_evaluate_exactly_and_export_to_onnx(manifest, mnist_dir, tmp_path):
    assert main(["evaluate", "--all", "--export", str(manifest), "--data-dir", str(mnist_dir)]) == 0
    assert main(["onnx", str(tmp_path / "model.onnx"), "--export", str(manifest), "--data-dir", str(mnist_dir)]) == 0
