"""The export of a short real training run: schema, files, weights, metrics, latent map."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file as load_numpy
from safetensors.torch import load_file
from train_export_checks import check_export, manifest_forward, snapshot_metadata
from train_runs import SHORT_RUN_IMAGES

from training.normalisation import normalise

pytestmark = pytest.mark.slow  # trains on real MNIST


def test_export_is_valid_against_the_schema_and_its_files(short_run):
    manifest = check_export(short_run.manifest_path)
    ids = [entry["id"] for entry in manifest["timeline"]]
    assert ids == [
        "init",
        "img50",
        "img120",
        "img250",
        "img500",
        "img1000",
        "img2000",
        "img3500",
        "img5800",
        f"img{SHORT_RUN_IMAGES}",
    ]
    assert manifest["training"]["config"]["max_images"] == SHORT_RUN_IMAGES
    assert manifest["training"]["completed"] is False
    assert "Timeline shortened" in manifest["training"]["stopped_early_note"]


def test_final_snapshot_holds_the_trained_weights_within_f16_precision(short_run):
    manifest = short_run.result.manifest
    final = short_run.manifest_path.parent / manifest["timeline"][-1]["file"]
    tensors = load_file(final)
    state = short_run.result.model.state_dict()
    exported = {layer["module"]: layer for layer in manifest["model"]["layers"] if layer["type"] == "linear"}
    assert sorted(exported) == ["0", "2", "4"] and len(state) == 6
    for module, layer in exported.items():
        for kind in ("weight", "bias"):
            value, stored = state[f"{module}.{kind}"], tensors[layer[kind]]
            assert stored.dtype == torch.float16 and stored.shape == value.shape
            torch.testing.assert_close(stored.float(), value, rtol=2**-10, atol=2**-24)
    assert [layer[kind] for layer in exported.values() for kind in ("weight", "bias")] == [
        f"layers.{i}.{kind}" for i in range(3) for kind in ("weight", "bias")
    ], "the MLP keeps version 1's tensor names"


def test_snapshot_metadata_describes_the_snapshot(short_run):
    for entry in short_run.result.manifest["timeline"]:
        metadata = snapshot_metadata(short_run.manifest_path.parent / entry["file"])
        assert metadata == {
            "format": "mnist-mlp-timeline",
            "format_version": "2",
            "id": entry["id"],
            "index": str(entry["index"]),
            "images_seen": str(entry["images_seen"]),
            "step": str(entry["step"]),
            "epoch": str(entry["epoch"]),
        }


def test_every_snapshot_is_distinct(short_run):
    hashes = [entry["sha256"] for entry in short_run.result.manifest["timeline"]]
    assert len(set(hashes)) == len(hashes)


def test_metrics_match_the_stored_weights_on_the_real_test_set(short_run, mnist):
    images = normalise(mnist.test_images)
    labels = torch.from_numpy(mnist.test_labels.astype(np.int64))
    for entry in short_run.result.manifest["timeline"][::3]:
        tensors = load_file(short_run.manifest_path.parent / entry["file"])
        logits = manifest_forward(short_run.result.manifest, tensors, images)
        predicted = logits.argmax(dim=1)
        metrics = entry["metrics"]
        assert metrics["test_accuracy"] == (predicted == labels).double().mean().item()
        loss = torch.nn.functional.cross_entropy(logits, labels).item()
        assert abs(metrics["test_loss"] - loss) < 1e-4
        confusion = torch.bincount(labels * 10 + predicted, minlength=100).reshape(10, 10)
        assert metrics["confusion"] == confusion.tolist()
        wrong = int((predicted != labels).sum())
        assert len(metrics["mistakes"]) == min(40, wrong)
        if wrong:
            top = torch.softmax(logits.double(), 1).max(1).values.masked_fill(predicted == labels, -1).max().item()
            assert abs(metrics["mistakes"][0]["confidence"] - top) < 1e-5


def test_accuracy_improves_with_training(short_run):
    accuracies = [entry["metrics"]["test_accuracy"] for entry in short_run.result.manifest["timeline"]]
    assert accuracies[0] < 0.3 and accuracies[-1] > 0.6


def test_probe_file_is_100_test_digits_per_class_in_latent_order(short_run, mnist):
    probe = load_numpy(short_run.manifest_path.parent / short_run.result.manifest["probe"]["file"])
    indices = probe["test_indices"]
    assert probe["test_indices"].dtype == np.int32 and len(set(indices.tolist())) == 1000
    np.testing.assert_array_equal(probe["images"], mnist.test_images[indices])
    np.testing.assert_array_equal(probe["labels"], mnist.test_labels[indices])
    assert np.bincount(probe["labels"]).tolist() == [100] * 10


def test_latent_coords_are_reproducible_from_the_stored_f16_values(short_run):
    root = short_run.manifest_path.parent
    probe = load_numpy(root / short_run.result.manifest["probe"]["file"])
    images = normalise(probe["images"])
    for entry in short_run.result.manifest["timeline"]:
        tensors = load_file(root / entry["file"])
        hidden = manifest_forward(short_run.result.manifest, tensors, images, upto=1).double()
        coords = (hidden - tensors["latent.mean"].double()) @ tensors["latent.components"].double().T
        stored = tensors["latent.coords"].double()
        # float16 rounding of the coordinates (|coords| ≤ ~1: spacing ≤ 2^-10)
        assert (coords - stored).abs().max().item() < 2e-3, entry["id"]
        assert 0.5 < stored.abs().max().item() <= 1.001, "the map is scaled to about [-1, 1]"


def test_latent_map_does_not_flip_between_consecutive_snapshots(short_run):
    root = short_run.manifest_path.parent
    coords = [
        load_numpy(root / e["file"])["latent.coords"].astype(np.float64) for e in short_run.result.manifest["timeline"]
    ]
    for index, (before, after) in enumerate(zip(coords, coords[1:]), start=1):
        for axis in range(2):
            correlation = np.corrcoef(before[:, axis], after[:, axis])[0, 1]
            assert correlation > 0, f"axis {axis} flipped at snapshot {index}"


def test_latent_mean_is_the_probe_mean_of_the_last_hidden_layer(short_run):
    root = short_run.manifest_path.parent
    probe = load_numpy(root / short_run.result.manifest["probe"]["file"])
    tensors = load_file(root / short_run.result.manifest["timeline"][-1]["file"])
    hidden = manifest_forward(short_run.result.manifest, tensors, normalise(probe["images"]), upto=1)
    torch.testing.assert_close(tensors["latent.mean"].float(), hidden.mean(0), rtol=2e-3, atol=1e-3)


def test_loss_history_is_dense_and_falls(short_run):
    history = short_run.result.manifest["loss_history"]
    assert len(history["loss"]) >= 40  # every step of a short run: 6000 / 128
    assert np.mean(history["loss"][-5:]) < np.mean(history["loss"][:5]) - 0.5
