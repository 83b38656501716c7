"""The command line: bad arguments (one line, exit 2, nothing written), missing data,
--help, --skip-train and the shortened-timeline notice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from train_export_checks import check_export, layer_sizes

from training.config import ARCHITECTURE_DEFAULTS, parse_config
from training.mlp_train import main

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "training" / "mlp_train.py"


def run_cli(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


BAD_ARGUMENTS = [
    (["--epochs", "0"], "--epochs must be at least 1"),
    (["--epochs", "-3"], "--epochs must be at least 1"),
    (["--epochs", "two"], "--epochs: invalid int value"),
    (["--batch-size", "0"], "--batch-size must be at least 1"),
    (["--hidden-dims"], "--hidden-dims needs at least one width"),
    (["--hidden-dims", "128", "0"], "--hidden-dims must all be at least 1"),
    (["--hidden-dims", "-5"], "--hidden-dims must all be at least 1"),
    (["--lr", "0"], "--lr must be a positive number"),
    (["--lr", "nan"], "--lr must be a positive number"),
    (["--device", "tpu"], "--device must be one of auto, cpu, cuda, mps"),
    (["--seed", "-1"], "--seed must be between 0 and 2147483647"),
    (["--lr", "inf"], "--lr must be a positive number"),
    (["--momentum", "1"], "--momentum must be in [0, 1)"),
    (["--threads", "-1"], "--threads must be 0 (automatic) or more"),
    (["--unknown-flag"], "unrecognized arguments: --unknown-flag"),
    (["--architecture", "resnet"], "--architecture must be one of mlp, cnn"),
    (["--architecture", "cnn", "--hidden-dims"], "--hidden-dims needs at least one width"),
    (["--export-path", "{tmp}/weights.txt"], "must name a .json manifest"),
    (["--export-path", "{tmp}/folder.json"], "is a directory"),
    (["--export-path", "{tmp}/a-file/mlp_weights.json"], "is not writable"),
    (["--early-stop", "3"], "--early-stop needs a validation split: add --val-size N"),
    (["--val-size", "-1"], "--val-size must be between 0 (off) and 50000"),
    (["--val-size", "60000"], "--val-size must be between 0 (off) and 50000"),
    (["--val-size", "5000", "--early-stop", "-2"], "--early-stop must be 0 (off) or a patience"),
    (["--min-delta", "-0.1"], "--min-delta must be a number ≥ 0"),
    (["--min-delta", "nan"], "--min-delta must be a number ≥ 0"),
    (["--checkpoint-dir", "{tmp}/a-file"], "--checkpoint-dir '{tmp}/a-file' is a file, not a directory"),
    (["--resume", "{tmp}"], "holds no last.pt checkpoint"),
]


@pytest.mark.parametrize(("args", "message"), BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS])
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(args, message, tmp_path, capsys, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    (tmp_path / "folder.json").mkdir()
    monkeypatch.chdir(tmp_path)  # the default export path is relative: it must stay unwritten too
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(SystemExit) as exit_info:
        main([a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("mlp_train.py: error: ")
    assert message.replace("{tmp}", str(tmp_path)) in captured.err
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has CUDA")
def test_unavailable_device_is_a_bad_argument(tmp_path):
    result = run_cli("--device", "cuda", "--export-path", str(tmp_path / "m.json"))
    assert result.returncode == 2
    assert result.stderr == "mlp_train.py: error: --device cuda: no CUDA device is available on this machine\n"
    assert list(tmp_path.iterdir()) == []


def test_missing_data_is_one_clear_error(tmp_path):
    result = run_cli(
        "--data-dir",
        str(tmp_path / "nowhere"),
        "--export-path",
        str(tmp_path / "out" / "m.json"),
        env={"MNIST_MIRRORS": "http://127.0.0.1:9/"},
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    for name in (
        "train-images-idx3-ubyte.gz",
        "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz",
        str(tmp_path / "nowhere"),
        "http://127.0.0.1:9/",
    ):
        assert name in result.stderr
    assert not (tmp_path / "out").exists()


def test_cnn_flags_default_to_the_cnn_architecture(tmp_path):
    config = parse_config(["--architecture", "cnn", "--export-path", str(tmp_path / "c.json")])
    assert (config.epochs, config.hidden_dims) == (20, (64,)) == tuple(ARCHITECTURE_DEFAULTS["cnn"].values())
    config = parse_config(
        [
            "--architecture",
            "cnn",
            "--hidden-dims",
            "32",
            "16",
            "--epochs",
            "2",
            "--export-path",
            str(tmp_path / "c.json"),
        ]
    )
    assert (config.epochs, config.hidden_dims) == (2, (32, 16))
    assert parse_config(["--export-path", str(tmp_path / "m.json")]).hidden_dims == (128, 64)


def test_help_lists_every_flag():
    result = run_cli("--help")
    assert result.returncode == 0
    for flag in (
        "--epochs",
        "--hidden-dims",
        "--batch-size",
        "--lr",
        "--seed",
        "--device",
        "--skip-train",
        "--data-dir",
        "--export-path",
        "--augment",
        "--no-augment",
        "--threads",
        "--architecture",
        "--val-size",
        "--early-stop",
        "--min-delta",
        "--checkpoint-dir",
        "--resume",
        "--tensorboard",
    ):
        assert flag in result.stdout


@pytest.mark.slow
def test_skip_train_exports_the_untrained_network(tmp_path, mnist_dir):
    manifest_path = tmp_path / "exports" / "untrained.json"
    result = run_cli(
        "--skip-train", "--hidden-dims", "32", "--data-dir", str(mnist_dir), "--export-path", str(manifest_path)
    )
    assert result.returncode == 0, result.stderr
    manifest = check_export(manifest_path)
    assert [entry["id"] for entry in manifest["timeline"]] == ["init"]
    assert layer_sizes(manifest) == [784, 32, 10]
    assert manifest["loss_history"] == {"images_seen": [], "loss": []}
    assert "--skip-train" in result.stderr and "test accuracy" in result.stdout


@pytest.mark.slow
def test_short_run_from_the_command_line_says_the_timeline_was_shortened(tmp_path, mnist_dir):
    """Run from another folder: the script works without installing the package."""
    result = run_cli(
        "--epochs",
        "1",
        "--max-images",
        "3000",
        "--hidden-dims",
        "16",
        "8",
        "4",
        "--batch-size",
        "100",
        "--no-augment",
        "--data-dir",
        str(mnist_dir),
        "--export-path",
        "out/mlp.json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "Timeline shortened" in result.stderr and "3,000 images" in result.stderr
    manifest = check_export(tmp_path / "out" / "mlp.json")
    assert layer_sizes(manifest) == [784, 16, 8, 4, 10]
    assert manifest["latent"] == {"layer": 2, "method": "pca2d+procrustes", "probe_size": 1000}
    assert manifest["training"]["config"]["augment"] is False
    assert manifest["timeline"][-1]["id"] == "img3000"
