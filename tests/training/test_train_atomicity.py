"""A failed or killed run never damages the previous export, and leaves no temp folder
once the next run has started."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from train_export_checks import check_export, export_digest
from train_runs import run_quietly, short_config

from training import export

pytestmark = pytest.mark.slow  # trains on real MNIST

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def previous_export(short_run, tmp_path) -> Path:
    """A complete, valid export in a fresh folder, to be overwritten by the test."""
    folder = tmp_path / "exports"
    shutil.copytree(short_run.manifest_path.parent, folder)
    return folder / short_run.manifest_path.name


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_writer_failing_mid_export_keeps_the_previous_export(previous_export, mnist, mnist_dir, monkeypatch):
    before = export_digest(previous_export)
    real_write_bytes = Path.write_bytes
    written = []

    def failing_write_bytes(path, data):
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        written.append(path)
        return real_write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write_bytes)
    with pytest.raises(OSError, match="No space left"):
        run_quietly(short_config(previous_export, mnist_dir, seed=3, max_images=500), mnist)
    monkeypatch.undo()
    assert len(written) == 5 and all(previous_export.parent in p.parents for p in written)
    assert export_digest(previous_export) == before
    check_export(previous_export)
    assert leftovers(previous_export.parent) == []


def test_a_failing_swap_restores_the_previous_folder(previous_export, mnist, mnist_dir, monkeypatch):
    before = export_digest(previous_export)
    real_rename = os.rename

    def rename(source, target):
        if Path(source).name == previous_export.stem and Path(target) == previous_export.with_suffix(""):
            raise OSError(5, "Input/output error")  # moving the new folder into place fails
        return real_rename(source, target)

    monkeypatch.setattr(export.os, "rename", rename)
    with pytest.raises(OSError, match="Input/output error"):
        run_quietly(short_config(previous_export, mnist_dir, seed=3, max_images=500), mnist)
    monkeypatch.undo()
    assert export_digest(previous_export) == before
    assert leftovers(previous_export.parent) == []


def killed_run(manifest: Path, mnist_dir: Path, kill_when: str) -> subprocess.CompletedProcess:
    """Runs the real CLI in a subprocess that SIGKILLs itself at a chosen point of the export."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from training import export
        from training.mlp_train import main

        def die():
            os.kill(os.getpid(), signal.SIGKILL)

        real_write_bytes, real_replace = Path.write_bytes, os.replace
        calls = []
        def write_bytes(path, data):
            calls.append(path)
            if {kill_when!r} == "writing" and len(calls) == 4:
                die()
            return real_write_bytes(path, data)
        def replace(source, target):
            if {kill_when!r} == "swapping" and Path(target) == Path({str(manifest)!r}):
                die()  # the new folder is in place, the manifest not yet
            return real_replace(source, target)
        Path.write_bytes = write_bytes
        export.os.replace = replace
        main(sys.argv[1:])
    """)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "--epochs",
            "1",
            "--max-images",
            "1000",
            "--seed",
            "5",
            "--data-dir",
            str(mnist_dir),
            "--export-path",
            str(manifest),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sigkill_while_writing_keeps_the_previous_export(previous_export, mnist_dir):
    before = export_digest(previous_export)
    result = killed_run(previous_export, mnist_dir, "writing")
    assert result.returncode == -signal.SIGKILL
    assert export_digest(previous_export) == before
    check_export(previous_export)
    assert leftovers(previous_export.parent), "the killed run could not clean its temp folder"
    export.recover_interrupted(previous_export)  # what the next run does first
    assert leftovers(previous_export.parent) == []
    assert export_digest(previous_export) == before


def test_sigkill_mid_swap_is_completed_by_the_next_run(previous_export, mnist_dir, mnist):
    result = killed_run(previous_export, mnist_dir, "swapping")
    assert result.returncode == -signal.SIGKILL
    assert leftovers(previous_export.parent)
    # the next run (here: the same command again) finishes the interrupted swap first
    export.recover_interrupted(previous_export)
    assert leftovers(previous_export.parent) == []
    manifest = check_export(previous_export)
    assert manifest["training"]["config"]["seed"] == 5 and manifest["timeline"][-1]["id"] == "img1000"


def test_a_run_finishes_the_cleanup_of_a_killed_run(previous_export, mnist_dir, mnist):
    killed_run(previous_export, mnist_dir, "writing")
    assert leftovers(previous_export.parent)
    run_quietly(short_config(previous_export, mnist_dir, max_images=500), mnist)
    assert leftovers(previous_export.parent) == []
    assert json.loads(previous_export.read_text())["timeline"][-1]["id"] == "img500"
    check_export(previous_export)


def test_temp_folders_of_live_runs_are_left_alone(previous_export):
    live = previous_export.parent / f".{previous_export.stem}.tmp-{os.getppid()}-abc"
    live.mkdir()
    export.recover_interrupted(previous_export)
    assert live.exists()
