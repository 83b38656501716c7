"""The validation split (--val-size): training digits held out, stratified by class and
chosen by the seed, scored at every snapshot beside the test set. The test set then
only reports; choosing a snapshot (the best one, early stopping) uses validation."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from training.layers import NUM_CLASSES
from training.mnist_data import Mnist

_SEED_STREAM = 3  # its own generator: the split never moves the probe set or the shuffling


@dataclass(frozen=True)
class Validation:
    indices: np.ndarray  # int64, sorted: positions in the original 60,000 training digits
    images: np.ndarray  # uint8 [n, 28, 28]
    labels: np.ndarray  # uint8 [n]


def split(labels: np.ndarray, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(training indices, validation indices), both sorted and disjoint. Each class gives
    its share of `size` in proportion to its frequency (largest remainders round up), so
    the validation classes are balanced as the training set's are."""
    if not 0 < size < len(labels):
        raise ValueError(f"the validation size must be between 1 and {len(labels) - 1}, got {size}")
    counts = np.bincount(labels, minlength=NUM_CLASSES)
    exact = counts * size / len(labels)
    shares = np.floor(exact).astype(np.int64)
    remainder_order = np.argsort(-(exact - shares), kind="stable")
    shares[remainder_order[: size - shares.sum()]] += 1
    rng = np.random.default_rng([seed, _SEED_STREAM])
    chosen = [rng.choice(np.flatnonzero(labels == digit), shares[digit], replace=False) for digit in range(NUM_CLASSES)]
    validation = np.sort(np.concatenate(chosen)).astype(np.int64)
    training = np.setdiff1d(np.arange(len(labels), dtype=np.int64), validation, assume_unique=True)
    return training, validation


def hold_out(mnist: Mnist, size: int, seed: int) -> tuple[Mnist, Validation | None]:
    """MNIST without the held-out digits, and those digits (None when size is 0)."""
    if size == 0:
        return mnist, None
    training, validation = split(mnist.train_labels, size, seed)
    rest = replace(mnist, train_images=mnist.train_images[training], train_labels=mnist.train_labels[training])
    return rest, Validation(validation, mnist.train_images[validation], mnist.train_labels[validation])


def best_index(entries: list[dict]) -> int | None:
    """The snapshot with the lowest validation loss (the earliest of equals), or None."""
    scored = [(entry["metrics"]["val_loss"], entry["index"]) for entry in entries if "val_loss" in entry["metrics"]]
    return min(scored)[1] if scored else None
