"""The training loop: in-memory tensors, a seeded permutation per epoch, batches by
slicing, cosine-decayed SGD, and the recorder told about every step (it takes the
snapshots: each target is the end of a step, because a batch that would step over one
is split there)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from training import augment
from training.config import TrainConfig
from training.mnist_data import Mnist
from training.normalisation import normalise
from training.recording import DivergedError, TimelineRecorder
from training.schedule import steps, timeline

PROGRESS_UPDATES = 3000
_SEED_STREAM_SHUFFLE = 1  # separate generators: shuffling never perturbs augmentation
_SEED_STREAM_DISTORT = 2**32  # far from every seed's shift (2·seed) and shuffle (2·seed + 1) streams

StepFunction = Callable[[torch.Tensor, torch.Tensor, float], torch.Tensor]  # (images, labels, lr) → loss
ProgressCallback = Callable[[int, float], None]  # (images seen, recent mean loss)


@dataclass(frozen=True)
class LoopPosition:
    """Where the loop is after a step that took a snapshot or ended an epoch: what
    checkpoints and early stopping need (training/run_hooks.py)."""

    step_number: int  # steps done
    images_seen: int
    snapshot: bool  # the recorder took a snapshot at this step
    epoch_end: bool  # a dataset multiple: the next step draws a new permutation
    shuffle_rng: torch.Generator


AfterStep = Callable[[LoopPosition], bool]  # returns True to stop training here


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


def train(
    step_function: StepFunction,
    data: TrainingData,
    config: TrainConfig,
    total: int,
    recorder: TimelineRecorder,
    on_progress: ProgressCallback,
    after_step: AfterStep | None = None,
    resume_at: tuple[int, torch.Tensor] | None = None,
) -> None:
    """Trains on `total` images, telling the recorder about every step. Raises
    DivergedError (nothing written) when the loss or the weights stop being finite.
    after_step: called after each step that took a snapshot or ended an epoch; True stops.
    resume_at: (steps already done, shuffle generator state) of an epoch-end checkpoint."""
    device = data.images.device
    cuts = [snapshot.images_seen for snapshot in timeline(total, len(data))]
    plan = list(steps(total, len(data), config.batch_size, cuts))
    window = max(1, math.ceil(len(plan) / PROGRESS_UPDATES))
    shuffle_rng = torch.Generator().manual_seed(config.seed * 2 + _SEED_STREAM_SHUFFLE)
    shifts = augment.draw_shifts(len(plan), torch.Generator().manual_seed(config.seed * 2)) if config.augment else None
    distorting = config.augment and config.augment_recipe == "distort" and total > 0
    epochs = math.ceil(total / len(data))
    augmenter = None
    if distorting:
        pool = augment.DRAWN_POOL.get(config.architecture, augment.DRAWN_POOL["mlp"])
        augmenter = augment.Augmenter(data.images, config.seed + _SEED_STREAM_DISTORT, epochs, pool)
    source = augmenter.images if augmenter else data.images

    done = 0
    if resume_at is not None:
        done = resume_at[0]
        shuffle_rng.set_state(resume_at[1])
        if augmenter:
            # Its distortions are redrawn from one generator at epoch starts: replaying the
            # epochs already done (at most a few redraws) gives the same digits and state.
            for _ in range(sum(1 for step in plan[:done] if step.start == 0)):
                augmenter.epoch()
    window_loss = torch.zeros((), device=device)
    window_images = 0
    for step_number, step in enumerate(plan[done:], start=done + 1):
        if step.start == 0:
            order = torch.randperm(len(data), generator=shuffle_rng).to(device)
            labels = data.labels[order]  # once per epoch: the steps then slice them
            if augmenter:
                augmenter.epoch()
        batch = order[step.start : step.stop]
        images = source.index_select(0, batch)
        if shifts is not None:
            images = augment.crop(images, shifts[step_number - 1])
        lr = cosine_lr(config.lr, (step.images_seen - len(batch)) / total)
        loss = step_function(images, labels[step.start : step.stop], lr)
        took_snapshot = recorder.step(step.images_seen, loss)

        window_loss.add_(loss, alpha=len(batch))
        window_images += len(batch)
        if step_number % window == 0 or step_number == len(plan):
            mean_loss = window_loss.item() / window_images  # the one read-back per window
            if not math.isfinite(mean_loss):
                raise DivergedError("the training loss is no longer a finite number", step.images_seen, step_number)
            on_progress(step.images_seen, mean_loss)
            window_loss.zero_()
            window_images = 0
        epoch_end = step.stop == len(data)
        if (took_snapshot or epoch_end) and after_step is not None:
            position = LoopPosition(step_number, step.images_seen, took_snapshot, epoch_end, shuffle_rng)
            if after_step(position):
                return


def cosine_lr(peak: float, progress: float) -> float:
    """Cosine decay from `peak` at the start of the run to 0 at its end."""
    return peak * 0.5 * (1.0 + math.cos(math.pi * progress))
