"""The training timeline: which image counts get a snapshot, and how to cut the
shuffled data into optimiser steps so that every snapshot lands exactly on its count
(a batch that straddles a target is split there, so no two snapshots are identical)."""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

EARLY_TARGETS = (50, 120, 250, 500, 1000, 2000, 3500, 5800, 8700, 13000, 19500, 28500, 40000)
EPOCH_TARGETS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20, 23, 26, 30, 34, 38, 42, 46, 50)


@dataclass(frozen=True)
class Snapshot:
    images_seen: int
    id: str
    label: str


def _short_count(images: int) -> str:
    if images < 1000:
        return str(images)
    return f"{images / 1000:g}k"


def snapshot_at(images_seen: int, train_size: int) -> Snapshot:
    if images_seen == 0:
        return Snapshot(0, "init", "untrained")
    if images_seen % train_size == 0:
        multiple = images_seen // train_size
        return Snapshot(images_seen, f"ep{multiple}", f"{multiple}× dataset")
    return Snapshot(images_seen, f"img{images_seen}", f"{_short_count(images_seen)} images")


def _multiples() -> Iterator[int]:
    """The dataset multiples with a snapshot: the fixed list up to 50, then ~10% apart."""
    yield from EPOCH_TARGETS
    last = EPOCH_TARGETS[-1]
    while True:
        last = max(last + 1, round(last * 1.1))
        yield last


def epoch_multiples(epochs: int) -> list[int]:
    """The dataset multiples ≤ epochs."""
    return list(itertools.takewhile(lambda multiple: multiple <= epochs, _multiples()))


def next_target(images_seen: int, train_size: int) -> int:
    """The first timeline target after `images_seen`, for a run of unknown length (a
    recorded training loop): the early targets, then the dataset multiples beyond them,
    exactly as `timeline` orders them."""
    for target in EARLY_TARGETS:
        if target > images_seen:
            return target
    floor = max(images_seen, EARLY_TARGETS[-1])
    return next(m * train_size for m in _multiples() if m * train_size > floor)


def timeline(total_images: int, train_size: int) -> list[Snapshot]:
    """Snapshot 0, every target ≤ total_images, and the end of training if it is no target."""
    counts = [0, *(t for t in EARLY_TARGETS if t <= total_images)]
    counts += [e * train_size for e in epoch_multiples(total_images // train_size) if e * train_size > counts[-1]]
    if counts[-1] != total_images:
        counts.append(total_images)
    return [snapshot_at(count, train_size) for count in counts]


@dataclass(frozen=True)
class Step:
    start: int  # slice of this epoch's permutation
    stop: int
    images_seen: int  # after the step


def steps(total_images: int, train_size: int, batch_size: int, cut_points: list[int]) -> Iterator[Step]:
    """Optimiser steps over `total_images`; epochs restart at multiples of train_size and
    a batch is cut at every count in `cut_points` it would otherwise step over."""
    cuts = sorted(cut_points)
    seen = 0
    while seen < total_images:
        epoch_start = seen - seen % train_size
        position = seen - epoch_start
        stop = epoch_start + min(position + batch_size, train_size, position + total_images - seen)
        next_cut = bisect.bisect_right(cuts, seen)
        if next_cut < len(cuts) and cuts[next_cut] < stop:
            stop = cuts[next_cut]
        yield Step(position, stop - epoch_start, stop)
        seen = stop
