"""The committed default exports (exports/) are the product's embedded defaults: they must
be complete, valid, trained with the default flags, and accurate. Both are format version
2 (the MLP's was version 1 until issue 16 re-exported it); tests/fixtures/version1/mlp_weights.json
is the MLP converted to version 1, which the page and every tool still read."""

from __future__ import annotations

import math
from pathlib import Path

from safetensors.torch import load_file
from train_export_checks import check_export, layer_sizes, manifest_forward

from training.config import TrainConfig
from training.normalisation import normalise
from training.schedule import timeline

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "exports" / "mlp_weights.json"
COMMITTED_CNN = REPO / "exports" / "cnn_weights.json"
VERSION_1 = REPO / "tests" / "fixtures" / "version1" / "mlp_weights.json"


def test_committed_default_export_is_valid_complete_and_accurate(mnist):
    manifest = check_export(COMMITTED)  # schema, every file's size and sha256, cross-field rules
    assert manifest["format_version"] == 2 and manifest["model"]["architecture"] == "mlp"
    defaults = TrainConfig()
    config = manifest["training"]["config"]
    assert config["epochs"] == defaults.epochs == 50
    assert config["hidden_dims"] == list(defaults.hidden_dims)
    assert config["batch_size"] == defaults.batch_size and config["lr"] == defaults.lr
    assert config["augment"] == defaults.augment and config["seed"] == defaults.seed
    assert config["augment_recipe"] == defaults.augment_recipe == "distort"
    assert config["skip_train"] is False and config["max_images"] == 0
    assert manifest["training"]["completed"] is True and manifest["training"]["stopped_early_note"] is None
    assert layer_sizes(manifest) == [784, 128, 64, 10]
    timeline = manifest["timeline"]
    assert len(timeline) == 36 and timeline[-1]["id"] == "ep50"
    final = timeline[-1]
    assert final["metrics"]["test_accuracy"] >= 0.985  # issue 16: the augmentation may not cost accuracy
    logits = manifest_forward(manifest, load_file(COMMITTED.parent / final["file"]), normalise(mnist.test_images))
    assert (logits.argmax(1).numpy() == mnist.test_labels).mean() == final["metrics"]["test_accuracy"]
    assert 2000 <= len(manifest["loss_history"]["loss"]) <= 3000
    size = sum(entry["bytes"] for entry in timeline) + manifest["probe"]["bytes"] + manifest["gallery"]["bytes"]
    assert size < 12_000_000, "the embedded default stays small enough to ship"


def test_the_version_1_fixture_is_a_valid_version_1_export_of_the_same_network():
    manifest = check_export(VERSION_1)
    assert manifest["format_version"] == 1
    assert manifest["model"]["layer_sizes"] == [784, 128, 64, 10] and manifest["latent"]["layer"] == 2
    assert manifest["timeline"] == check_export(COMMITTED)["timeline"]  # the same snapshot files


def test_committed_cnn_export_is_valid_complete_small_and_accurate(mnist):
    manifest = check_export(COMMITTED_CNN)
    assert manifest["format_version"] == 2 and manifest["model"]["architecture"] == "cnn"
    defaults = TrainConfig.defaults("cnn")
    config = manifest["training"]["config"]
    assert config["architecture"] == "cnn" and config["epochs"] == defaults.epochs
    assert config["hidden_dims"] == list(defaults.hidden_dims)
    assert config["batch_size"] == defaults.batch_size and config["lr"] == defaults.lr
    assert config["augment"] is True and config["seed"] == 0 and config["max_images"] == 0
    assert config["augment_recipe"] == "distort" and config["skip_train"] is False
    assert manifest["training"]["completed"] is True and manifest["training"]["stopped_early_note"] is None
    train_size = manifest["training"]["dataset"]["train_size"]
    expected = [s.id for s in timeline(defaults.epochs * train_size, train_size)]
    assert [entry["id"] for entry in manifest["timeline"]] == expected and expected[-1] == f"ep{defaults.epochs}"

    layers = manifest["model"]["layers"]
    convolutions = [layer for layer in layers if layer["type"] == "conv2d"]
    assert len(convolutions) == 2 and all(layer["out_channels"] <= 16 for layer in convolutions)
    assert manifest["model"]["parameter_count"] <= 100_000
    final = manifest["timeline"][-1]
    assert final["metrics"]["test_accuracy"] >= 0.992  # issue 10: the CNN reaches 99.2%
    logits = manifest_forward(manifest, load_file(COMMITTED_CNN.parent / final["file"]), normalise(mnist.test_images))
    recomputed = (logits.argmax(1).numpy() == mnist.test_labels).mean()
    assert recomputed == final["metrics"]["test_accuracy"], "the float16 weights score what the manifest says"
    assert math.prod(layers[manifest["latent"]["layer"]]["output_shape"]) == defaults.hidden_dims[-1]
    assert len(manifest["loss_history"]["loss"]) >= 2000
    size = sum(e["bytes"] for e in manifest["timeline"]) + manifest["probe"]["bytes"] + manifest["gallery"]["bytes"]
    assert size < 12_000_000, "the embedded default stays small enough to ship"
