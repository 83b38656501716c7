"""`evaluate` recomputes the committed export's metrics exactly and catches an edited
manifest; `info` describes an export and names its missing files."""

from __future__ import annotations

import json

import pytest
from toolkit_helpers import COMMITTED, copy_export, error_lines, run_tool

from training.toolkit.cli import main
from training.toolkit.evaluate import compare, recompute

COMMITTED_MANIFEST = json.loads(COMMITTED.read_text())
FINAL_ACCURACY = COMMITTED_MANIFEST["timeline"][-1]["metrics"]["test_accuracy"]  # checked by recomputing it


@pytest.mark.slow
def test_every_snapshot_of_the_committed_export_recomputes_exactly(committed, test_set):
    inputs, labels = test_set.normalised(committed.input), test_set.label_tensor()
    for entry in committed.timeline:
        actual = recompute(committed, entry, inputs, labels)
        claimed = entry["metrics"]
        assert actual["confusion"] == claimed["confusion"], entry["id"]
        assert actual["test_accuracy"] == claimed["test_accuracy"]
        assert actual["per_class_accuracy"] == claimed["per_class_accuracy"]
        assert actual["test_loss"] == pytest.approx(claimed["test_loss"], abs=1e-6)
        assert [m["test_index"] for m in actual["mistakes"]] == [m["test_index"] for m in claimed["mistakes"]]
        assert all(equal for *_, equal in compare(claimed, actual))


def test_evaluate_command_checks_the_last_snapshot_and_exits_0(mnist_dir):
    result = run_tool("evaluate", "--data-dir", mnist_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for text in (
        f"{FINAL_ACCURACY:.4%}",
        "confusion matrix",
        "most confident mistakes",
        "match the snapshot files (1 checked)",
    ):
        assert text in result.stdout


def _edit_accuracy(manifest: dict) -> None:
    manifest["timeline"][-1]["metrics"]["test_accuracy"] = 0.9912
    manifest["timeline"][3]["metrics"]["confusion"][2][2] += 1


def test_an_edited_manifest_is_caught(tmp_path, mnist_dir, capsys):
    edited = copy_export(tmp_path, _edit_accuracy)
    assert main(["evaluate", "--export", str(edited), "--data-dir", str(mnist_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"training evaluate: error: ep50: test accuracy: the manifest says 99.1200%, recomputed {FINAL_ACCURACY:.4%}"
    ]
    assert main(["evaluate", "--all", "--export", str(edited), "--data-dir", str(mnist_dir)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "training evaluate: error: img250: confusion matrix: the manifest says 100 cells, recomputed 1 differ",
        f"training evaluate: error: ep50: test accuracy: the manifest says 99.1200%, recomputed {FINAL_ACCURACY:.4%}",
    ]


def test_evaluate_without_mnist_is_one_line(tmp_path):
    result = run_tool(
        "evaluate", "--data-dir", tmp_path / "nowhere", env={"MNIST_MIRRORS": "http://127.0.0.1:9/"}, cwd=tmp_path
    )
    assert result.returncode == 1
    assert len(error_lines(result)) == 1
    assert "t10k-images-idx3-ubyte.gz" in result.stderr and str(tmp_path / "nowhere") in result.stderr
    assert "train-images" not in result.stderr  # only the test set is needed


def test_a_changed_snapshot_file_fails_evaluate(tmp_path, mnist_dir, capsys):
    manifest = copy_export(tmp_path, copy_files=True)
    last = json.loads(COMMITTED.read_text())["timeline"][-1]
    path = tmp_path / last["file"]
    path.write_bytes(path.read_bytes()[:-8])
    assert main(["evaluate", "--export", str(manifest), "--data-dir", str(mnist_dir)]) == 1
    assert capsys.readouterr().err == (
        f"training evaluate: error: {path}: {last['bytes'] - 8} bytes where the manifest says {last['bytes']} "
        "(truncated or replaced?)\n"
    )


def test_info_describes_the_committed_export(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    for text in (
        "MLP 784-128-64-10",
        "linear 784 → 128",
        "109,386",
        "--epochs",
        "--hidden-dims",
        "2.13.0+cpu",
        "36 snapshots",
        f"{FINAL_ACCURACY:.2%}",
        "untrained",
        "50× dataset",
        COMMITTED_MANIFEST["probe"]["file"],
        f"{exported_megabytes(COMMITTED):.1f} MB",
    ):
        assert text in out, text


def exported_megabytes(manifest_path) -> float:
    """The export's size as its files weigh on disk: the manifest, every snapshot, the probe and the gallery."""
    manifest = json.loads(manifest_path.read_text())
    files = [item["file"] for item in manifest["timeline"]] + [manifest[name]["file"] for name in ("probe", "gallery")]
    return (manifest_path.stat().st_size + sum((manifest_path.parent / name).stat().st_size for name in files)) / 1e6


def test_info_names_missing_files(tmp_path, capsys):
    manifest = copy_export(tmp_path, copy_files=True)
    gallery = tmp_path / COMMITTED_MANIFEST["gallery"]["file"]
    gallery.unlink()
    assert main(["info", "--export", str(manifest)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"training info: error: {gallery}: missing (listed in mlp_weights.json)\n"
    assert "missing" in captured.out
