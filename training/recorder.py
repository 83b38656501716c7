"""Recording the timeline: at each snapshot, the float16-rounded network is evaluated on
the test set, projected onto the latent map and serialised, so training only keeps the
small payloads in memory until the export is written."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from training import export, latent
from training.metrics import evaluate
from training.model import MLP, copy_rounded_to_f16
from training.schedule import Snapshot


@dataclass(frozen=True)
class TestSet:
    images: torch.Tensor  # normalised float32 [n, 784], CPU
    labels: torch.Tensor  # int64 [n], CPU
    probe_indices: np.ndarray  # the latent map's fixed probe digits


class TimelineRecorder:
    def __init__(self, model: MLP, test_set: TestSet, train_size: int, stem: str):
        self.model = model
        self.model16 = MLP(tuple(model.layer_sizes[1:-1]))
        self.test_set = test_set
        self.train_size = train_size
        self.stem = stem
        self.entries: list[dict] = []
        self.files: dict[str, bytes] = {}
        self._previous_coords: np.ndarray | None = None

    def __call__(self, snapshot: Snapshot, step: int) -> None:
        model16 = copy_rounded_to_f16(self.model, self.model16)
        with torch.no_grad():
            hidden = model16.last_hidden(self.test_set.images)
            metrics = evaluate(model16.layers[-1](hidden), self.test_set.labels)
        projection = latent.project(hidden[self.test_set.probe_indices], self._previous_coords)
        self._previous_coords = projection.coords
        index = len(self.entries)
        epoch = snapshot.images_seen / self.train_size
        payload = export.snapshot_payload(
            model16,
            projection,
            {
                "id": snapshot.id,
                "index": index,
                "images_seen": snapshot.images_seen,
                "step": step,
                "epoch": epoch,
            },
        )
        name = f"{index:03d}_{snapshot.id}.safetensors"
        self.files[name] = payload
        self.entries.append(
            {
                "index": index,
                "id": snapshot.id,
                "label": snapshot.label,
                "images_seen": snapshot.images_seen,
                "step": step,
                "epoch": epoch,
                **export.file_entry(self.stem, name, payload),
                "metrics": metrics,
            }
        )
