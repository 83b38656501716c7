"""Everything an export must satisfy (docs/export-format.md, versions 1 and 2): the JSON
Schema plus the cross-field rules and file checks the schema cannot express, and the
forward pass a reader builds from the manifest alone (the oracle for recorded metrics)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import jsonschema
import numpy as np
import torch
from safetensors.numpy import load_file
from torch.nn import functional as F

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "docs" / "export.schema.json").read_text())


def load_manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def check_export(manifest_path: Path, *, exact_folder: bool = True) -> dict:
    """Asserts the whole export is valid and consistent; returns the manifest.
    `exact_folder`: the export folder holds no file the manifest does not list (false
    after a killed publication, which may leave some beside a complete export)."""
    manifest = load_manifest(manifest_path)
    jsonschema.Draft202012Validator(SCHEMA).validate(manifest)
    root = manifest_path.parent
    stem = manifest_path.stem

    expected_tensors = check_model(manifest)

    timeline = manifest["timeline"]
    train_size = manifest["training"]["dataset"]["train_size"]
    assert [entry["index"] for entry in timeline] == list(range(len(timeline)))
    seen = [entry["images_seen"] for entry in timeline]
    assert seen[0] == 0 and all(a < b for a, b in zip(seen, seen[1:]))
    assert len({entry["id"] for entry in timeline}) == len(timeline)
    steps = [entry["step"] for entry in timeline]
    assert steps[0] == 0 and all(a <= b for a, b in zip(steps, steps[1:]))
    if manifest["format_version"] == 1 or "config" in manifest["training"]:  # mlp_train.py splits batches
        assert all(a < b for a, b in zip(steps, steps[1:]))

    for entry in timeline:
        assert entry["epoch"] == entry["images_seen"] / train_size
        base = f"{stem}/{entry['index']:03d}_{entry['id']}"
        assert entry["file"] in (f"{base}.{entry['sha256'][:8]}.safetensors", f"{base}.safetensors")  # or before hashes
        tensors = _check_file(root, entry)
        assert {name: tensor.shape for name, tensor in tensors.items()} == expected_tensors
        assert all(tensor.dtype == np.float16 for tensor in tensors.values())
        assert all(np.isfinite(tensor).all() for tensor in tensors.values())
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
    assert on_disk >= files if not exact_folder else on_disk == files, "the export folder holds the files listed"
    return manifest


def layer_sizes(manifest: dict) -> list[int]:
    """Version 1's `layer_sizes`, derived for version 2 as docs/export-format.md says."""
    if manifest["format_version"] == 1:
        return manifest["model"]["layer_sizes"]
    layers = manifest["model"]["layers"]
    return [784] + [math.prod(layer["output_shape"]) for layer in layers if layer["type"] != "flatten"]


def check_model(manifest: dict) -> dict[str, tuple[int, ...]]:
    """The model's rules; returns the tensors every snapshot holds (name → shape)."""
    model, probe_size = manifest["model"], manifest["latent"]["probe_size"]
    expected = {}
    if manifest["format_version"] == 1:
        sizes = model["layer_sizes"]
        assert sizes[0] == 784 and sizes[-1] == 10
        assert len(model["activations"]) == len(sizes) - 1
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            expected[f"layers.{i}.weight"] = (n_out, n_in)
            expected[f"layers.{i}.bias"] = (n_out,)
        latent_size = sizes[-2]
    else:
        layers = model["layers"]
        assert layers[0]["input_shape"] in ([1, 28, 28], [784]) and layers[-1]["output_shape"] == [10]
        for k, layer in enumerate(layers):
            if k:
                assert layer["input_shape"] == layers[k - 1]["output_shape"], f"layer {k}: shapes do not chain"
            expected.update(_check_layer(k, layer))
        weighted = [k for k, layer in enumerate(layers) if "weight" in layer]
        assert len(weighted) >= 2 and manifest["latent"]["layer"] == weighted[-1] - 1
        latent_size = math.prod(layers[manifest["latent"]["layer"]]["output_shape"])
    assert model["parameter_count"] == sum(math.prod(shape) for shape in expected.values())
    expected.update({"latent.mean": (latent_size,), "latent.components": (2, latent_size)})
    expected["latent.coords"] = (probe_size, 2)
    return expected


def _check_layer(k: int, layer: dict) -> dict[str, tuple[int, ...]]:
    shape_in, shape_out = layer["input_shape"], layer["output_shape"]
    kind = layer["type"]
    if kind == "flatten":
        assert shape_out == [math.prod(shape_in)]
        return {}
    if kind == "maxpool2d":
        size, stride = layer["kernel_size"], layer["stride"]
        assert shape_out == [shape_in[0], *((side - size) // stride + 1 for side in shape_in[1:])]
        return {}
    assert layer["weight"] == f"layers.{k}.weight" and layer["bias"] in (f"layers.{k}.bias", None)
    if kind == "conv2d":
        size, stride, padding = layer["kernel_size"], layer["stride"], layer["padding"]
        assert shape_in[0] == layer["in_channels"]
        sides = [(side + 2 * padding - size) // stride + 1 for side in shape_in[1:]]
        assert shape_out == [layer["out_channels"], *sides]
        weight = (layer["out_channels"], layer["in_channels"], size, size)
    else:
        assert kind == "linear" and shape_in == [layer["in_features"]] and shape_out == [layer["out_features"]]
        weight = (layer["out_features"], layer["in_features"])
    tensors = {layer["weight"]: weight}
    if layer["bias"]:
        tensors[layer["bias"]] = (weight[0],)
    return tensors


_ACTIVATIONS = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "gelu": F.gelu}


def manifest_forward(manifest: dict, tensors: dict, images: torch.Tensor, upto: int | None = None) -> torch.Tensor:
    """The network as a reader builds it from the manifest alone, in float32 on the
    stored float16 values: logits, or the flattened output of layer `upto`
    (v2 index; v1: `upto` counts layer_sizes, as latent.layer does)."""
    weights = {name: torch.as_tensor(tensor).float() for name, tensor in tensors.items()}
    x = images.float()
    if manifest["format_version"] == 1:
        count = len(manifest["model"]["layer_sizes"]) - 1
        for i in range(count if upto is None else upto):
            x = x @ weights[f"layers.{i}.weight"].T + weights[f"layers.{i}.bias"]
            if i < count - 1:
                x = torch.relu(x)
        return x
    layers = manifest["model"]["layers"]
    x = x.reshape(len(x), *layers[0]["input_shape"])
    for k, layer in enumerate(layers):
        bias = weights[layer["bias"]] if layer.get("bias") else None
        if layer["type"] == "conv2d":
            x = F.conv2d(x, weights[layer["weight"]], bias, stride=layer["stride"], padding=layer["padding"])
        elif layer["type"] == "maxpool2d":
            x = F.max_pool2d(x, layer["kernel_size"], layer["stride"])
        elif layer["type"] == "flatten":
            x = x.reshape(len(x), -1)
        else:
            x = x @ weights[layer["weight"]].T + (0 if bias is None else bias)
        if layer["activation"]:
            x = _ACTIVATIONS[layer["activation"]](x)
        if k == upto:
            break
    return x.reshape(len(x), -1)


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
