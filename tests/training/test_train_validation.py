"""--val-size: a stratified, seeded split disjoint from the training digits, scored at
every snapshot from the float16 files the page loads, and the best snapshot marked."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import VAL_SIZE
from safetensors.torch import load_file
from train_export_checks import check_export, manifest_forward

from training import validation
from training.normalisation import normalise

pytestmark = pytest.mark.slow  # trains on real MNIST


def test_split_is_disjoint_complete_stratified_and_seeded(mnist):
    labels = mnist.train_labels
    training, held_out = validation.split(labels, VAL_SIZE, seed=0)
    assert len(held_out) == VAL_SIZE and len(training) == len(labels) - VAL_SIZE
    assert not np.intersect1d(training, held_out).size
    assert np.array_equal(np.sort(np.concatenate([training, held_out])), np.arange(len(labels)))
    expected = np.bincount(labels, minlength=10) * VAL_SIZE / len(labels)
    assert np.all(np.abs(np.bincount(labels[held_out], minlength=10) - expected) < 1)
    assert np.array_equal(validation.split(labels, VAL_SIZE, seed=0)[1], held_out)
    assert not np.array_equal(validation.split(labels, VAL_SIZE, seed=1)[1], held_out)


def test_the_run_trains_on_the_rest_and_marks_the_best_snapshot(short_val_run):
    manifest = check_export(short_val_run.manifest_path)
    assert manifest["training"]["dataset"]["train_size"] == 60_000 - VAL_SIZE
    val_losses = [entry["metrics"]["val_loss"] for entry in manifest["timeline"]]
    best = int(np.argmin(val_losses))
    assert manifest["validation"] == {"size": VAL_SIZE, "best_index": best, "best_id": manifest["timeline"][best]["id"]}
    assert val_losses[-1] < val_losses[0]


def test_validation_metrics_match_the_stored_weights(short_val_run, mnist):
    held_out = validation.split(mnist.train_labels, VAL_SIZE, short_val_run.config.seed)[1]
    images = normalise(mnist.train_images[held_out])
    labels = torch.from_numpy(mnist.train_labels[held_out].astype(np.int64))
    manifest = short_val_run.result.manifest
    for entry in manifest["timeline"][::3]:
        logits = manifest_forward(manifest, load_file(short_val_run.manifest_path.parent / entry["file"]), images)
        predicted = logits.argmax(dim=1)
        metrics = entry["metrics"]
        assert abs(metrics["val_accuracy"] - (predicted == labels).double().mean().item()) < 1e-6
        assert abs(metrics["val_loss"] - torch.nn.functional.cross_entropy(logits, labels).item()) < 1e-4
        for digit in range(10):
            accuracy = (predicted[labels == digit] == digit).double().mean().item()
            assert abs(metrics["val_per_class_accuracy"][digit] - accuracy) < 1e-6


def test_without_val_size_nothing_changes(short_run):
    manifest = short_run.result.manifest
    assert "validation" not in manifest
    assert not any("val_loss" in entry["metrics"] for entry in manifest["timeline"])
