"""The committed default export (exports/) is the product's embedded default: it must be
complete, valid, trained with the default flags, and accurate."""

from __future__ import annotations

from pathlib import Path

from train_export_checks import check_export

from training.config import TrainConfig

REPO = Path(__file__).resolve().parents[2]
COMMITTED = REPO / "exports" / "mlp_weights.json"


def test_committed_default_export_is_valid_complete_and_accurate():
    manifest = check_export(COMMITTED)  # schema, every file's size and sha256, cross-field rules
    defaults = TrainConfig()
    config = manifest["training"]["config"]
    assert config["epochs"] == defaults.epochs == 50
    assert config["hidden_dims"] == list(defaults.hidden_dims)
    assert config["batch_size"] == defaults.batch_size and config["lr"] == defaults.lr
    assert config["augment"] == defaults.augment and config["seed"] == defaults.seed
    assert config["skip_train"] is False and config["max_images"] == 0
    assert manifest["training"]["completed"] is True and manifest["training"]["stopped_early_note"] is None
    assert manifest["model"]["layer_sizes"] == [784, 128, 64, 10]
    timeline = manifest["timeline"]
    assert len(timeline) == 36 and timeline[-1]["id"] == "ep50"
    assert timeline[-1]["metrics"]["test_accuracy"] >= 0.975
    assert 2000 <= len(manifest["loss_history"]["loss"]) <= 3000
    size = sum(entry["bytes"] for entry in timeline) + manifest["probe"]["bytes"] + manifest["gallery"]["bytes"]
    assert size < 12_000_000, "the embedded default stays small enough to ship"
