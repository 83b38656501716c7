"""--checkpoint-dir and --resume: a run SIGKILLed at several points after its first
checkpoint and resumed writes an export byte-identical to an uninterrupted run's; a
resume with other flags is refused; the checkpoints load with weights_only=True."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from train_export_checks import check_export

pytestmark = pytest.mark.slow  # several real training runs as subprocesses

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "training" / "mlp_train.py"
# A short run with several dataset multiples: half the digits held out, so an epoch is
# 30,000 images and 5 of them take seconds; one thread, as resuming needs the same count.
FLAGS = ["--epochs", "5", "--val-size", "30000", "--threads", "1"]
KILL_POINTS = [(1, 0.0), (2, 0.2), (4, 0.0)]  # (checkpoints written, then seconds) before SIGKILL


def command(mnist_dir: Path, export_path: Path, *extra: str) -> list[str]:
    paths = ["--data-dir", str(mnist_dir), "--export-path", str(export_path)]
    return [sys.executable, str(SCRIPT), *paths, *FLAGS, *extra]


def run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=REPO)


def export_files(manifest_path: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in manifest_path.with_suffix("").iterdir()}


def comparable(manifest: dict) -> dict:
    """The manifest without what differs between any two runs (time, where they write)."""
    manifest = json.loads(json.dumps(manifest))
    del manifest["created_utc"], manifest["training"]["duration_seconds"]
    for flag in ("resume", "checkpoint_dir", "export_path"):
        del manifest["training"]["config"][flag]
    return manifest


def kill_after_checkpoints(args: list[str], folder: Path, checkpoints: int, delay: float) -> None:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    versions = set()  # each checkpoint is a new file renamed over last.pt
    while process.poll() is None and len(versions) < checkpoints:
        try:
            stat = os.stat(folder / "last.pt")
            versions.add((stat.st_ino, stat.st_mtime_ns, stat.st_size))
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the run ended before it could be killed"


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, mnist_dir) -> Path:
    path = tmp_path_factory.mktemp("uninterrupted") / "mlp_weights.json"
    result = run(command(mnist_dir, path))
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module")
def killed(tmp_path_factory, mnist_dir) -> tuple[Path, Path]:
    """(export path, checkpoint folder) of a run killed after its second checkpoint."""
    root = tmp_path_factory.mktemp("killed")
    path, folder = root / "mlp_weights.json", root / "checkpoints"
    kill_after_checkpoints(command(mnist_dir, path, "--checkpoint-dir", str(folder)), folder, 2, 0.0)
    return path, folder


@pytest.mark.parametrize(("checkpoints", "delay"), KILL_POINTS)
def test_a_killed_run_resumes_to_the_same_bytes(checkpoints, delay, uninterrupted, mnist_dir, tmp_path):
    path, folder = tmp_path / "mlp_weights.json", tmp_path / "checkpoints"
    args = command(mnist_dir, path, "--checkpoint-dir", str(folder))
    kill_after_checkpoints(args, folder, checkpoints, delay)
    assert not path.exists()
    resumed = run([*args, "--resume", str(folder)])
    assert resumed.returncode == 0, resumed.stderr
    manifest = check_export(path)
    assert export_files(path) == export_files(uninterrupted)
    assert comparable(manifest) == comparable(json.loads(uninterrupted.read_text()))


def test_resume_with_other_flags_is_refused_in_one_line(killed, mnist_dir):
    path, folder = killed
    args = command(mnist_dir, path, "--checkpoint-dir", str(folder), "--resume", str(folder))
    result = run([*args, "--lr", "0.1", "--seed", "3"])
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("mlp_train.py: error: --resume ")
    assert "--lr (0.05 there, 0.1 here)" in result.stderr and "--seed (0 there, 3 here)" in result.stderr
    assert "--epochs" not in result.stderr
    assert not path.exists()


def test_checkpoints_load_with_weights_only(killed):
    _, folder = killed
    last = torch.load(folder / "last.pt", weights_only=True)
    assert last["images_seen"] == 60_000 and last["config"]["val_size"] == 30_000
    assert set(last["rng"]) == {"torch", "numpy", "python", "shuffle"}
    assert set(last["model"]) == {f"{k}.{p}" for k in (0, 2, 4) for p in ("weight", "bias")}
    assert len(last["recorder"]["entries"]) == len(last["recorder"]["file_names"])
    best = torch.load(folder / "best.pt", weights_only=True)
    entries = last["recorder"]["entries"]
    lowest = min(entries, key=lambda entry: entry["metrics"]["val_loss"])
    assert best["snapshot"]["id"] == lowest["id"]
    assert json.loads((folder / "config.json").read_text()) == last["config"]
    assert not [p for p in folder.rglob("*") if p.name.startswith(".")]  # no temp files left
