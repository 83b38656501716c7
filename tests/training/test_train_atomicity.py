"""A failed or killed run never damages the previous export: the publication is one
atomic rename of the manifest, after its content-addressed files were written beside the
previous export's. Killed at any instant (here: between every two filesystem operations
of the publication), the folder holds the previous export or the new one, complete."""

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
from train_export_checks import check_export, export_digest, load_manifest
from train_runs import run_quietly, short_config

from training import export

pytestmark = pytest.mark.slow  # trains on real MNIST

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def new_export(tmp_path_factory, mnist, mnist_dir) -> tuple[dict, dict[str, bytes]]:
    """Manifest and files of another run (same seed, shorter: it shares the untrained
    snapshot and the probe file with the short run's export, and nothing else)."""
    path = tmp_path_factory.mktemp("new") / "mlp_weights.json"
    result, _ = run_quietly(short_config(path, mnist_dir, max_images=500), mnist)
    return result.manifest, dict(result.files)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def folder_bytes(manifest_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in manifest_path.with_suffix("").iterdir()}


def test_file_names_carry_their_content_hash(short_run):
    manifest = load_manifest(short_run.manifest_path)
    for entry in [*manifest["timeline"], manifest["probe"], manifest["gallery"]]:
        assert entry["file"].endswith(f".{entry['sha256'][:8]}.safetensors"), entry["file"]
    third = manifest["timeline"][3]
    assert third["file"] == f"mlp_weights/003_{third['id']}.{third['sha256'][:8]}.safetensors"
    assert manifest["probe"]["file"] == f"mlp_weights/probe.{manifest['probe']['sha256'][:8]}.safetensors"


def test_a_writer_failing_mid_export_keeps_the_previous_export(previous_export, mnist, mnist_dir, monkeypatch):
    before = export_digest(previous_export)
    created = []

    def failing_open(path, mode="r", *args, **kwargs):
        if len(created) == 5:
            raise OSError(28, "No space left on device")
        created.append(Path(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(export, "open", failing_open, raising=False)
    with pytest.raises(OSError, match="No space left"):
        run_quietly(short_config(previous_export, mnist_dir, seed=3, max_images=500), mnist)
    monkeypatch.undo()
    assert len(created) == 5 and all(previous_export.parent in p.parents for p in created)
    assert export_digest(previous_export) == before  # the files it had moved into the folder are gone again
    check_export(previous_export)
    assert leftovers(previous_export.parent) == []


def test_a_failing_manifest_rename_keeps_the_previous_export(previous_export, mnist, mnist_dir, monkeypatch):
    before = export_digest(previous_export)
    real_replace = os.replace

    def replace(source, target):
        if Path(target) == previous_export:
            raise OSError(5, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(export.os, "replace", replace)
    with pytest.raises(OSError, match="Input/output error"):
        run_quietly(short_config(previous_export, mnist_dir, seed=3, max_images=500), mnist)
    monkeypatch.undo()
    assert export_digest(previous_export) == before
    assert leftovers(previous_export.parent) == []


def test_a_file_in_use_with_other_content_is_never_replaced(previous_export, new_export):
    manifest, files = new_export
    shared = export.file_name(manifest["probe"])
    assert (previous_export.with_suffix("") / shared).exists()  # same seed: the same probe file
    old = load_manifest(previous_export)
    old["probe"]["sha256"] = "0" * 64  # the export in place claims other bytes under that name
    previous_export.write_text(json.dumps(old))
    before = export_digest(previous_export)
    with pytest.raises(export.ExportError, match="exists with other content and the export in place uses it"):
        export.write_export(previous_export, manifest, {**files, shared: files[shared] + b" "})
    assert export_digest(previous_export) == before
    assert leftovers(previous_export.parent) == []


# --- killed at every filesystem operation of the publication ---------------------------


def legacy_export(previous_export: Path) -> None:
    """Rewrites an export with the names from before content hashes (as committed)."""
    manifest = load_manifest(previous_export)
    for entry in [*manifest["timeline"], manifest["probe"], manifest["gallery"]]:
        stem, name = entry["file"].split("/")
        old_name = name.split(".")[0] + ".safetensors"
        (previous_export.parent / stem / name).rename(previous_export.parent / stem / old_name)
        entry["file"] = f"{stem}/{old_name}"
    previous_export.write_text(json.dumps(manifest))


SCENARIOS = ["over-another-export", "over-an-export-without-hashes", "the-same-export-again", "into-an-empty-folder"]


def prepare(scenario: str, folder: Path, short_run, new_export) -> Path:
    manifest_path = folder / "mlp_weights.json"
    if scenario == "into-an-empty-folder":
        folder.mkdir()
        return manifest_path
    shutil.copytree(short_run.manifest_path.parent, folder)
    if scenario == "over-an-export-without-hashes":
        legacy_export(manifest_path)
    elif scenario == "the-same-export-again":
        export.write_export(manifest_path, *new_export)
    return manifest_path


def publish_killed_at(kill_at: int, manifest_path: Path, manifest: dict, files: dict[str, bytes]) -> int:
    """Publishes in a forked child that SIGKILLs itself just before filesystem operation
    number `kill_at` (counting from 0); returns the child's exit code (-9: killed)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 3
        try:
            count = 0

            def fs_step(operation: str, path: Path) -> None:
                nonlocal count
                if count == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                count += 1

            export.write_export(manifest_path, manifest, files, fs_step=fs_step)
            code = 0
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_kill_between_any_two_filesystem_operations_leaves_a_complete_export(
    scenario, short_run, new_export, tmp_path
):
    manifest, files = new_export
    operations: list[tuple[str, str]] = []
    dry_run = prepare(scenario, tmp_path / "dry-run", short_run, new_export)
    old_manifest = load_manifest(dry_run) if dry_run.exists() else None
    export.write_export(dry_run, manifest, files, fs_step=lambda op, path: operations.append((op, path.name)))
    kinds = {op for op, _ in operations}
    assert {"create", "write", "replace", "rmtree"} <= kinds
    assert ("rename" in kinds) == (scenario != "the-same-export-again")
    assert ("remove" in kinds) == scenario.startswith("over-")  # the previous export's files, after the rename

    for kill_at in range(len(operations) + 1):
        manifest_path = prepare(scenario, tmp_path / f"kill-{kill_at}", short_run, new_export)
        code = publish_killed_at(kill_at, manifest_path, manifest, files)
        assert code == (0 if kill_at == len(operations) else -signal.SIGKILL), (kill_at, code)
        where = f"killed before operation {kill_at}: {operations[kill_at] if kill_at < len(operations) else 'none'}"
        if manifest_path.exists():
            on_disk = check_export(manifest_path, exact_folder=False)  # parses, schema, every file's bytes and sha256
            assert on_disk in (old_manifest, manifest), where
            assert on_disk == manifest or kill_at <= operations.index(("replace", manifest_path.name)), where
        else:
            assert old_manifest is None and kill_at <= operations.index(("replace", manifest_path.name)), where
        # the next run publishes over whatever the kill left, and leaves nothing else
        export.write_export(manifest_path, manifest, files)
        assert check_export(manifest_path) == manifest, where
        assert leftovers(manifest_path.parent) == [], where
        shutil.rmtree(manifest_path.parent)


# --- the real command line, SIGKILLed ---------------------------------------------------


def killed_run(manifest: Path, mnist_dir: Path, kill_when: str) -> subprocess.CompletedProcess:
    """Runs the real CLI in a subprocess that SIGKILLs itself at a chosen point of the export."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from pathlib import Path
        sys.path.insert(0, {str(REPO)!r})
        from training import export
        from training.mlp_train import main

        kill_when, manifest = {kill_when!r}, Path({str(manifest)!r})
        real_open, real_replace = open, os.replace
        opened = []
        def die():
            os.kill(os.getpid(), signal.SIGKILL)
        def opening(path, *args, **kwargs):
            opened.append(path)
            if kill_when == "writing" and len(opened) == 4:
                die()
            return real_open(path, *args, **kwargs)
        def replace(source, target):
            if kill_when == "before-rename" and Path(target) == manifest:
                die()  # every new file is in the folder, the manifest not yet replaced
            real_replace(source, target)
            if kill_when == "after-rename" and Path(target) == manifest:
                die()  # the new export is in place, the previous export's files not yet removed
        export.open = opening
        export.os.replace = replace
        main(sys.argv[1:])
    """)
    arguments = ["--epochs", "1", "--max-images", "1000", "--seed", "5", "--threads", "1"]
    return subprocess.run(
        [sys.executable, "-c", script, *arguments, "--data-dir", str(mnist_dir), "--export-path", str(manifest)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("kill_when", ["writing", "before-rename"])
def test_sigkill_before_the_rename_keeps_the_previous_export(previous_export, mnist_dir, kill_when):
    before = load_manifest(previous_export)
    old_files = folder_bytes(previous_export)
    result = killed_run(previous_export, mnist_dir, kill_when)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert load_manifest(previous_export) == before
    now = folder_bytes(previous_export)
    assert {name: now[name] for name in old_files} == old_files  # nothing replaced or removed
    check_export(previous_export, exact_folder=False)
    assert leftovers(previous_export.parent), "the killed run could not clean its temp folder"
    export.recover_interrupted(previous_export)  # what the next run does first
    assert leftovers(previous_export.parent) == []
    assert load_manifest(previous_export) == before


def test_sigkill_after_the_rename_leaves_the_new_export(previous_export, mnist_dir, mnist):
    result = killed_run(previous_export, mnist_dir, "after-rename")
    assert result.returncode == -signal.SIGKILL, result.stderr
    manifest = check_export(previous_export, exact_folder=False)
    assert manifest["training"]["config"]["seed"] == 5 and manifest["timeline"][-1]["id"] == "img1000"
    # the next run removes what the killed one could not: the previous export's files, its temp folder
    run_quietly(short_config(previous_export, mnist_dir, max_images=500), mnist)
    assert leftovers(previous_export.parent) == []
    assert load_manifest(previous_export)["timeline"][-1]["id"] == "img500"
    check_export(previous_export)


def test_temp_folders_of_live_runs_are_left_alone(previous_export):
    live = previous_export.parent / f".{previous_export.stem}.tmp-{os.getppid()}-abc"
    live.mkdir()
    export.recover_interrupted(previous_export)
    assert live.exists()


def test_a_swap_interrupted_by_the_earlier_exporter_is_undone(previous_export):
    """The exporter before content hashes swapped two renames; killed between them, it
    left the previous folder in its temp folder: the next run puts it back."""
    before = export_digest(previous_export)
    temp = previous_export.parent / f".{previous_export.stem}.tmp-999999999-x"
    temp.mkdir()
    previous_export.with_suffix("").rename(temp / "previous")
    export.recover_interrupted(previous_export)
    assert export_digest(previous_export) == before
    assert leftovers(previous_export.parent) == []
