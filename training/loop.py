"""The training loop: in-memory tensors, a seeded permutation per epoch, batches by
slicing, cosine-decayed SGD, and a callback at every timeline snapshot."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import torch

from training import augment
from training.config import TrainConfig
from training.mnist_data import Mnist
from training.model import MLP
from training.nesterov_step import NesterovStep
from training.normalisation import normalise
from training.schedule import Snapshot, steps

LOSS_HISTORY_POINTS = 3000
_SEED_STREAM_SHUFFLE = 1  # separate generators: shuffling never perturbs augmentation


@dataclass
class LossHistory:
    images_seen: list[int] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class TrainingData:
    """Training tensors on the training device: [n, 784], or [n, 32, 32] padded digits
    when augmenting."""

    images: torch.Tensor
    labels: torch.Tensor

    @staticmethod
    def prepare(mnist: Mnist, augmenting: bool, device: torch.device) -> TrainingData:
        images = normalise(mnist.train_images, augment.MAX_SHIFT if augmenting else 0)
        labels = torch.from_numpy(mnist.train_labels.astype(np.int64))
        return TrainingData(images.to(device), labels.to(device))

    def __len__(self) -> int:
        return len(self.labels)


SnapshotCallback = Callable[[Snapshot, int], None]  # (snapshot, optimiser steps so far)
ProgressCallback = Callable[[int, float], None]  # (images seen, recent mean loss)


def train(
    model: MLP,
    data: TrainingData,
    config: TrainConfig,
    timeline: list[Snapshot],
    on_snapshot: SnapshotCallback,
    on_progress: ProgressCallback,
) -> LossHistory:
    """Trains until the timeline's last snapshot, calling on_snapshot at each one."""
    device = data.images.device
    total = timeline[-1].images_seen
    plan = list(steps(total, len(data), config.batch_size, [s.images_seen for s in timeline]))
    window = max(1, math.ceil(len(plan) / LOSS_HISTORY_POINTS))
    optimiser = NesterovStep(model, config.momentum)
    shuffle_rng = torch.Generator().manual_seed(config.seed * 2 + _SEED_STREAM_SHUFFLE)
    shifts = augment.draw_shifts(len(plan), torch.Generator().manual_seed(config.seed * 2)) if config.augment else None

    history = LossHistory()
    pending = iter(timeline)
    on_snapshot(next(pending), 0)
    next_snapshot = next(pending, None)
    window_loss = torch.zeros((), device=device)
    window_images = 0
    for step_number, step in enumerate(plan, start=1):
        if step.start == 0:
            order = torch.randperm(len(data), generator=shuffle_rng).to(device)
            labels = data.labels[order]  # once per epoch: the steps then slice them
        batch = order[step.start : step.stop]
        images = data.images.index_select(0, batch)
        if shifts is not None:
            images = augment.crop(images, shifts[step_number - 1])
        lr = _cosine_lr(config.lr, (step.images_seen - len(batch)) / total)
        loss = optimiser(images, labels[step.start : step.stop], lr)

        window_loss.add_(loss, alpha=len(batch))
        window_images += len(batch)
        if step_number % window == 0 or step_number == len(plan):
            mean_loss = window_loss.item() / window_images
            history.images_seen.append(step.images_seen)
            history.loss.append(round(mean_loss, 5))
            window_loss.zero_()
            window_images = 0
            on_progress(step.images_seen, mean_loss)
        if next_snapshot is not None and step.images_seen == next_snapshot.images_seen:
            on_snapshot(next_snapshot, step_number)
            next_snapshot = next(pending, None)
    return history


def _cosine_lr(peak: float, progress: float) -> float:
    """Cosine decay from `peak` at the start of the run to 0 at its end."""
    return peak * 0.5 * (1.0 + math.cos(math.pi * progress))
