"""Assembling the manifest (docs/export-format.md, docs/export.schema.json) and the
gallery of mistaken digits it refers to."""

from __future__ import annotations

import platform
from datetime import datetime, timezone

import numpy as np
import safetensors
import torch

from training import export
from training.config import TrainConfig
from training.loop import LossHistory
from training.mnist_data import Mnist
from training.model import MLP
from training.normalisation import PIXEL_MEAN, PIXEL_SCALE, PIXEL_STD

GALLERY_FILE = "gallery.safetensors"
PROBE_FILE = "probe.safetensors"


def add_gallery(entries: list[dict], mnist: Mnist, stem: str) -> tuple[dict, bytes]:
    """Numbers every mistake's digit in the gallery (sorted by test index, each once)
    and returns the gallery's manifest entry and file."""
    indices = sorted({m["test_index"] for entry in entries for m in entry["metrics"]["mistakes"]})
    position = {test_index: i for i, test_index in enumerate(indices)}
    for entry in entries:
        for mistake in entry["metrics"]["mistakes"]:
            mistake["gallery_index"] = position[mistake["test_index"]]
    chosen = np.array(indices, dtype=np.int64)
    payload = export.digits_payload(mnist.test_images[chosen], mnist.test_labels[chosen], chosen)
    return {**export.file_entry(stem, GALLERY_FILE, payload), "count": len(indices)}, payload


def probe_file(probe_indices: np.ndarray, mnist: Mnist, stem: str) -> tuple[dict, bytes]:
    payload = export.digits_payload(mnist.test_images[probe_indices], mnist.test_labels[probe_indices], probe_indices)
    return {**export.file_entry(stem, PROBE_FILE, payload), "count": len(probe_indices)}, payload


def build_manifest(
    *,
    config: TrainConfig,
    model: MLP,
    device: torch.device,
    duration: float,
    mnist: Mnist,
    timeline: list[dict],
    loss_history: LossHistory,
    probe: dict,
    gallery: dict,
    shortened_note: str | None,
) -> dict:
    hidden_count = len(model.layer_sizes) - 2
    return {
        "format": export.FORMAT,
        "format_version": export.FORMAT_VERSION,
        "created_utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "model": {
            "architecture": "mlp",
            "layer_sizes": list(model.layer_sizes),
            "activations": ["relu"] * hidden_count + ["softmax"],
            "input": {"shape": [28, 28], "scale": int(PIXEL_SCALE), "mean": PIXEL_MEAN, "std": PIXEL_STD},
            "class_names": [str(digit) for digit in range(10)],
            "parameter_count": model.parameter_count(),
            "tensor_dtype": "F16",
        },
        "training": {
            "config": config.to_json(),
            "seed": config.seed,
            "device": device.type,
            "threads": torch.get_num_threads(),
            "optimizer": {
                "name": "sgd",
                "nesterov": True,
                "momentum": config.momentum,
                "lr_schedule": "cosine",
                "peak_lr": config.lr,
            },
            "duration_seconds": round(duration, 2),
            "dataset": {"name": "MNIST", "train_size": len(mnist.train_labels), "test_size": len(mnist.test_labels)},
            "versions": {
                "python": platform.python_version(),
                "torch": torch.__version__,
                "numpy": np.__version__,
                "safetensors": safetensors.__version__,
            },
            "completed": shortened_note is None,
            "stopped_early_note": shortened_note,
        },
        "latent": {"layer": hidden_count, "method": "pca2d+procrustes", "probe_size": probe["count"]},
        "probe": probe,
        "gallery": gallery,
        "timeline": timeline,
        "loss_history": {"images_seen": loss_history.images_seen, "loss": loss_history.loss},
    }
