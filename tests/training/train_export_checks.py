"""Everything an export must satisfy (docs/export-format.md): the JSON Schema plus the
cross-field rules and file checks the schema cannot express."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import numpy as np
from safetensors.numpy import load_file

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "export.schema.json").read_text())


def load_manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def check_export(manifest_path: Path) -> dict:
    """Asserts the whole export is valid and consistent; returns the manifest."""
    manifest = load_manifest(manifest_path)
    jsonschema.Draft202012Validator(SCHEMA).validate(manifest)
    root = manifest_path.parent
    stem = manifest_path.stem

    layer_sizes = manifest["model"]["layer_sizes"]
    assert layer_sizes[0] == 784 and layer_sizes[-1] == 10
    assert len(manifest["model"]["activations"]) == len(layer_sizes) - 1
    params = sum(n_in * n_out + n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))
    assert manifest["model"]["parameter_count"] == params

    timeline = manifest["timeline"]
    train_size = manifest["training"]["dataset"]["train_size"]
    assert [entry["index"] for entry in timeline] == list(range(len(timeline)))
    seen = [entry["images_seen"] for entry in timeline]
    assert seen[0] == 0 and all(a < b for a, b in zip(seen, seen[1:]))
    assert len({entry["id"] for entry in timeline}) == len(timeline)
    steps = [entry["step"] for entry in timeline]
    assert steps[0] == 0 and all(a < b for a, b in zip(steps, steps[1:]))

    for entry in timeline:
        assert entry["epoch"] == entry["images_seen"] / train_size
        assert entry["file"] == f"{stem}/{entry['index']:03d}_{entry['id']}.safetensors"
        tensors = _check_file(root, entry)
        check_snapshot_tensors(tensors, layer_sizes, manifest["latent"]["probe_size"])
        metrics = entry["metrics"]
        confusion = np.array(metrics["confusion"])
        assert confusion.sum() == manifest["training"]["dataset"]["test_size"]
        assert abs(metrics["test_accuracy"] - np.trace(confusion) / confusion.sum()) < 1e-6
        confidences = [m["confidence"] for m in metrics["mistakes"]]
        assert confidences == sorted(confidences, reverse=True)
        assert all(m["label"] != m["predicted"] for m in metrics["mistakes"])

    gallery = _check_file(root, manifest["gallery"])
    gallery_indices = gallery["test_indices"].tolist()
    assert gallery_indices == sorted(set(gallery_indices)) and len(gallery_indices) == manifest["gallery"]["count"]
    mistakes = [m for entry in timeline for m in entry["metrics"]["mistakes"]]
    assert set(gallery_indices) == {m["test_index"] for m in mistakes}
    for mistake in mistakes:
        assert gallery_indices[mistake["gallery_index"]] == mistake["test_index"]
        assert gallery["labels"][mistake["gallery_index"]] == mistake["label"]

    probe = _check_file(root, manifest["probe"])
    assert probe["images"].shape == (manifest["probe"]["count"], 28, 28) and probe["images"].dtype == np.uint8

    history = manifest["loss_history"]
    assert len(history["images_seen"]) == len(history["loss"]) <= 3000
    assert all(a < b for a, b in zip(history["images_seen"], history["images_seen"][1:]))
    if history["images_seen"]:
        assert history["images_seen"][-1] == seen[-1]

    files = {entry["file"] for entry in timeline} | {manifest["probe"]["file"], manifest["gallery"]["file"]}
    on_disk = {f"{stem}/{path.name}" for path in (root / stem).iterdir()}
    assert on_disk == files, "the export folder holds exactly the files the manifest names"
    return manifest


def check_snapshot_tensors(tensors: dict, layer_sizes: list[int], probe_size: int) -> None:
    expected = {}
    for i, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:])):
        expected[f"layers.{i}.weight"] = (n_out, n_in)
        expected[f"layers.{i}.bias"] = (n_out,)
    hidden = layer_sizes[-2]
    expected.update({"latent.mean": (hidden,), "latent.components": (2, hidden), "latent.coords": (probe_size, 2)})
    assert {name: tensor.shape for name, tensor in tensors.items()} == expected
    assert all(tensor.dtype == np.float16 for tensor in tensors.values())
    assert all(np.isfinite(tensor).all() for tensor in tensors.values())


def _check_file(root: Path, entry: dict) -> dict:
    path = root / entry["file"]
    payload = path.read_bytes()
    assert len(payload) == entry["bytes"], f"{path}: size differs from the manifest"
    assert hashlib.sha256(payload).hexdigest() == entry["sha256"], f"{path}: sha256 differs from the manifest"
    return load_file(path)


def snapshot_metadata(path: Path) -> dict:
    """The safetensors header's __metadata__, read the way the page does."""
    payload = path.read_bytes()
    length = int.from_bytes(payload[:8], "little")
    return json.loads(payload[8 : 8 + length])["__metadata__"]


def export_digest(manifest_path: Path) -> dict:
    """The manifest without its run-time fields, plus every file's bytes: what the
    determinism guarantee covers."""
    manifest = load_manifest(manifest_path)
    del manifest["created_utc"]
    del manifest["training"]["duration_seconds"]
    folder = manifest_path.with_suffix("")
    return {"manifest": manifest, "files": {p.name: p.read_bytes() for p in sorted(folder.iterdir())}}
