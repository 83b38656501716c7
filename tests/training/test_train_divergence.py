"""A diverging run (a learning rate far too high) stops with one line on stderr that says
where and why, exits 1, and leaves the previous export exactly as it was."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from train_export_checks import export_digest

from training import run as run_module
from training.mlp_train import main

pytestmark = pytest.mark.slow  # trains on real MNIST

REPO = Path(__file__).resolve().parents[2]


def folder_state(manifest_path: Path) -> dict[str, bytes]:
    """Every file under the exports folder (manifest, snapshots, anything left over), by path."""
    root = manifest_path.parent
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("architecture", ["mlp", "cnn"])
def test_a_huge_learning_rate_stops_with_one_line_and_keeps_the_previous_export(
    architecture, previous_export, mnist_dir
):
    before = folder_state(previous_export)
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "training" / "mlp_train.py"),
            *("--architecture", architecture, "--lr", "1e6", "--epochs", "1", "--max-images", "1000"),
            *("--threads", "1", "--data-dir", str(mnist_dir), "--export-path", str(previous_export)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    line = result.stderr.strip()
    assert line.startswith("mlp_train.py: error: training diverged: "), line
    assert "at step 1 (50 images seen)" in line  # the first snapshot finds the weights already infinite
    assert "learning rate is likely too high (--lr 1e+06)" in line and "--lr 0.05" in line
    assert folder_state(previous_export) == before  # byte for byte, and nothing beside it


def test_a_loss_that_stops_being_finite_stops_the_run(previous_export, mnist_dir, monkeypatch, capsys):
    """The loss, read back once per progress window, is checked there: here it turns NaN
    at the 7th step while the weights stay finite (so no snapshot could notice)."""
    before = export_digest(previous_export)
    monkeypatch.setattr(torch, "set_num_threads", lambda threads: None)  # main() must not change this session's
    real_step_function = run_module.step_function

    def step_function(model, config):
        step = real_step_function(model, config)
        calls = []

        def nan_from_the_seventh_step(images, labels, lr):
            calls.append(len(images))
            loss = step(images, labels, lr)
            return loss * math.nan if len(calls) >= 7 else loss

        return nan_from_the_seventh_step

    monkeypatch.setattr(run_module, "step_function", step_function)
    argv = ["--max-images", "6000", "--lr", "0.004", "--epochs", "1", "--threads", "1"]
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--data-dir", str(mnist_dir), "--export-path", str(previous_export)])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "training diverged: the training loss is no longer a finite number at step 7" in err
    assert "(--lr 0.004): try a smaller one, e.g. --lr 0.0004" in err
    assert export_digest(previous_export) == before
