"""Assembling the manifest (docs/export-format.md, docs/export.schema.json) and the
probe and gallery files it refers to."""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import numpy as np
import safetensors
import torch

from training import export
from training.layers import ModelDescription
from training.normalisation import PIXEL_SCALE

GALLERY_FILE = "gallery"  # base names: export.file_entry adds a content hash
PROBE_FILE = "probe"


def add_gallery(entries: list[dict], test_images: np.ndarray, test_labels: np.ndarray, stem: str) -> tuple[dict, bytes]:
    """Numbers every mistake's digit in the gallery (sorted by test index, each once)
    and returns the gallery's manifest entry and file."""
    indices = sorted({m["test_index"] for entry in entries for m in entry["metrics"]["mistakes"]})
    position = {test_index: i for i, test_index in enumerate(indices)}
    for entry in entries:
        for mistake in entry["metrics"]["mistakes"]:
            mistake["gallery_index"] = position[mistake["test_index"]]
    chosen = np.array(indices, dtype=np.int64)
    payload = export.digits_payload(test_images[chosen], test_labels[chosen], chosen)
    return {**export.file_entry(stem, GALLERY_FILE, payload), "count": len(indices)}, payload


def probe_file(probe_indices: np.ndarray, test_images: np.ndarray, test_labels: np.ndarray, stem: str):
    payload = export.digits_payload(test_images[probe_indices], test_labels[probe_indices], probe_indices)
    return {**export.file_entry(stem, PROBE_FILE, payload), "count": len(probe_indices)}, payload


def build_manifest(
    *,
    architecture: str,
    description: ModelDescription,
    mean: float,
    std: float,
    training: dict,
    timeline: list[dict],
    loss_history: dict,
    probe: dict,
    gallery: dict,
    validation: dict | None = None,
) -> dict:
    """`training`: the manifest's training object without `versions` (added here);
    `validation`: the split's size and best snapshot (only with one)."""
    manifest = {
        "format": export.FORMAT,
        "format_version": export.FORMAT_VERSION,
        "created_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "model": {
            "architecture": architecture,
            "input": {"shape": [28, 28], "scale": int(PIXEL_SCALE), "mean": mean, "std": std},
            "layers": description.to_json(),
            "class_names": [str(digit) for digit in range(10)],
            "parameter_count": description.parameter_count(),
            "tensor_dtype": "F16",
        },
        "training": {
            **training,
            "versions": {
                "python": platform.python_version(),
                "torch": torch.__version__,
                "numpy": np.__version__,
                "safetensors": safetensors.__version__,
            },
        },
        "latent": {"layer": description.latent_layer, "method": "pca2d+procrustes", "probe_size": probe["count"]},
        "probe": probe,
        "gallery": gallery,
        "timeline": timeline,
        "loss_history": loss_history,
    }
    if validation is not None:
        manifest["validation"] = validation
    return manifest
