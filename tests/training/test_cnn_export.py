"""The CNN (`--architecture cnn`) on a short real training run: format-2 export valid
against the schema, its layer list, weights, metrics and latent map from the float16
files, and byte-identical files for the same seed."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file as load_numpy
from safetensors.torch import load_file
from train_export_checks import check_export, manifest_forward
from train_runs import SHORT_CNN_IMAGES

from training.normalisation import normalise

pytestmark = pytest.mark.slow  # trains on real MNIST

CNN_LAYERS = [  # (type, module, output_shape, activation, weight shape)
    ("conv2d", "0", [8, 28, 28], "relu", [8, 1, 5, 5]),
    ("maxpool2d", "2", [8, 14, 14], None, None),
    ("conv2d", "3", [16, 14, 14], "relu", [16, 8, 5, 5]),
    ("maxpool2d", "5", [16, 7, 7], None, None),
    ("flatten", "6", [784], None, None),
    ("linear", "7", [64], "relu", [64, 784]),
    ("linear", "9", [10], None, [10, 64]),
]


def test_cnn_export_is_valid_and_describes_the_cnn(short_cnn_run):
    manifest = check_export(short_cnn_run.manifest_path)
    assert manifest["format_version"] == 2 and manifest["model"]["architecture"] == "cnn"
    layers = manifest["model"]["layers"]
    described = [(layer["type"], layer["module"], layer["output_shape"], layer["activation"]) for layer in layers]
    assert described == [row[:4] for row in CNN_LAYERS]
    assert layers[0]["input_shape"] == [1, 28, 28]
    assert layers[0] | {"kernel_size": 5, "stride": 1, "padding": 2, "in_channels": 1, "out_channels": 8} == layers[0]
    assert manifest["latent"]["layer"] == 5  # the 64-unit dense layer
    assert (
        manifest["model"]["parameter_count"] == 54314 == sum(p.numel() for p in short_cnn_run.result.model.parameters())
    )
    assert manifest["training"]["config"]["architecture"] == "cnn"
    assert manifest["training"]["completed"] is False and "20× dataset" in manifest["training"]["stopped_early_note"]
    ids = [entry["id"] for entry in manifest["timeline"]]
    assert ids == ["init", "img50", "img120", "img250", "img500", "img1000", "img2000", f"img{SHORT_CNN_IMAGES}"]
    shapes = {layer["weight"]: shape for layer, (*_, shape) in zip(layers, CNN_LAYERS) if shape}
    tensors = load_file(short_cnn_run.manifest_path.parent / manifest["timeline"][-1]["file"])
    assert {name: list(tensors[name].shape) for name in shapes} == shapes
    assert sorted(shapes) == ["layers.0.weight", "layers.2.weight", "layers.5.weight", "layers.6.weight"]


def test_final_snapshot_holds_the_trained_weights_within_f16_precision(short_cnn_run):
    manifest = short_cnn_run.result.manifest
    tensors = load_file(short_cnn_run.manifest_path.parent / manifest["timeline"][-1]["file"])
    state = short_cnn_run.result.model.state_dict()
    compared = 0
    for layer in manifest["model"]["layers"]:
        for kind in ("weight", "bias"):
            if layer.get(kind):
                value, stored = state[f"{layer['module']}.{kind}"], tensors[layer[kind]]
                assert stored.dtype == torch.float16 and stored.shape == value.shape
                torch.testing.assert_close(stored.float(), value, rtol=2**-10, atol=2**-24)
                compared += 1
    assert compared == len(state) == 8


def test_manifest_forward_is_the_model_itself(short_cnn_run, mnist):
    """The layer list read from the manifest computes what the PyTorch model computes."""
    manifest = short_cnn_run.result.manifest
    tensors = load_file(short_cnn_run.manifest_path.parent / manifest["timeline"][-1]["file"])
    rounded = copy.deepcopy(short_cnn_run.result.model).eval()
    layers = manifest["model"]["layers"]
    rounded.load_state_dict(
        {
            f"{layer['module']}.{k}": tensors[layer[k]].float()
            for layer in layers
            for k in ("weight", "bias")
            if layer.get(k)
        }
    )
    images = normalise(mnist.test_images[:500])
    with torch.no_grad():
        expected = rounded(images.reshape(-1, 1, 28, 28))
    torch.testing.assert_close(manifest_forward(manifest, tensors, images), expected, rtol=1e-4, atol=1e-4)


def test_metrics_match_the_stored_weights_on_the_real_test_set(short_cnn_run, mnist):
    manifest = short_cnn_run.result.manifest
    images = normalise(mnist.test_images)
    labels = torch.from_numpy(mnist.test_labels.astype(np.int64))
    for entry in manifest["timeline"][::3] + manifest["timeline"][-1:]:
        logits = manifest_forward(manifest, load_file(short_cnn_run.manifest_path.parent / entry["file"]), images)
        predicted = logits.argmax(dim=1)
        metrics = entry["metrics"]
        assert metrics["test_accuracy"] == (predicted == labels).double().mean().item()
        assert abs(metrics["test_loss"] - torch.nn.functional.cross_entropy(logits, labels).item()) < 1e-4
        assert metrics["confusion"] == torch.bincount(labels * 10 + predicted, minlength=100).reshape(10, 10).tolist()
    accuracies = [entry["metrics"]["test_accuracy"] for entry in manifest["timeline"]]
    assert accuracies[-1] > accuracies[0] + 0.15, "3,000 images (23 steps) already teach the CNN something"


def test_latent_coords_are_reproducible_from_the_stored_f16_values(short_cnn_run):
    manifest = short_cnn_run.result.manifest
    root = short_cnn_run.manifest_path.parent
    images = normalise(load_numpy(root / manifest["probe"]["file"])["images"])
    for entry in manifest["timeline"]:
        tensors = load_file(root / entry["file"])
        hidden = manifest_forward(manifest, tensors, images, upto=manifest["latent"]["layer"]).double()
        assert hidden.shape == (1000, 64)
        coords = (hidden - tensors["latent.mean"].double()) @ tensors["latent.components"].double().T
        assert (coords - tensors["latent.coords"].double()).abs().max().item() < 2e-3, entry["id"]
