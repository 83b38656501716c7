"""Same seed on the CPU ⇒ the same export, byte for byte (apart from run-time fields)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from train_export_checks import export_digest
from train_runs import run_quietly

pytestmark = pytest.mark.slow  # trains on real MNIST


@pytest.mark.parametrize("architecture", ["short_run", "short_cnn_run"], ids=["mlp", "cnn"])
def test_same_seed_gives_identical_files_and_manifest(architecture, request, mnist, tmp_path):
    short_run = request.getfixturevalue(architecture)
    first = export_digest(short_run.manifest_path)
    # the same export path (it is part of the recorded config), after moving the first run aside
    saved = tmp_path / "first"
    shutil.copytree(short_run.manifest_path.parent, saved)
    try:
        run_quietly(short_run.config, mnist)
        second = export_digest(short_run.manifest_path)
    finally:
        shutil.rmtree(short_run.manifest_path.parent)
        shutil.copytree(saved, short_run.manifest_path.parent)
    assert second["files"].keys() == first["files"].keys()
    for name, payload in first["files"].items():
        assert second["files"][name] == payload, name
    assert second["manifest"] == first["manifest"]


def test_another_seed_gives_another_export(short_run, mnist, tmp_path):
    config = replace(short_run.config, seed=1, max_images=1000, export_path=tmp_path / "mlp_weights.json")
    run_quietly(config, mnist)
    other = export_digest(config.export_path)
    first = export_digest(short_run.manifest_path)
    for key in ("probe", "gallery"):
        assert other["manifest"][key]["sha256"] != first["manifest"][key]["sha256"]
    assert other["manifest"]["timeline"][0]["sha256"] != first["manifest"]["timeline"][0]["sha256"]
    assert not other["files"].keys() & first["files"].keys()  # content-addressed names: none shared
