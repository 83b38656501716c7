"""The training timeline and the optimiser steps that land exactly on it."""

from __future__ import annotations

import pytest

from training.schedule import EARLY_TARGETS, EPOCH_TARGETS, steps, timeline

TRAIN = 60000


def test_default_timeline_has_the_documented_snapshots():
    snapshots = timeline(50 * TRAIN, TRAIN)
    assert len(snapshots) == 36
    assert snapshots[0].id == "init" and snapshots[0].images_seen == 0 and snapshots[0].label == "untrained"
    assert [s.images_seen for s in snapshots[1:14]] == list(EARLY_TARGETS)
    assert [s.id for s in snapshots[1:4]] == ["img50", "img120", "img250"]
    assert [s.id for s in snapshots[14:]] == [f"ep{e}" for e in EPOCH_TARGETS]
    assert snapshots[-1].label == "50× dataset" and snapshots[6].label == "2k images"
    assert snapshots[7].label == "3.5k images"


def test_short_run_ends_the_timeline_where_training_ends():
    ids = [s.id for s in timeline(int(1.5 * TRAIN), TRAIN)]
    assert ids[-3:] == ["img40000", "ep1", "img90000"]
    assert [s.id for s in timeline(9 * TRAIN, TRAIN)][-2:] == ["ep8", "ep9"]
    assert [s.id for s in timeline(0, TRAIN)] == ["init"]


def test_runs_longer_than_the_default_keep_a_geometric_tail():
    epochs = [int(s.id[2:]) for s in timeline(100 * TRAIN, TRAIN) if s.id.startswith("ep")]
    assert epochs[:22] == list(EPOCH_TARGETS) and epochs[-1] == 100
    assert all(b / a < 1.25 for a, b in zip(epochs[21:], epochs[22:]))


@pytest.mark.parametrize("batch_size", [1, 50, 64, 128, 1000, 60000])
def test_steps_land_on_every_snapshot_and_never_cross_an_epoch(batch_size):
    total = 3 * TRAIN
    targets = [s.images_seen for s in timeline(total, TRAIN)]
    plan = list(steps(total, TRAIN, batch_size, targets))
    ends = [step.images_seen for step in plan]
    assert set(targets[1:]) <= set(ends), "every snapshot falls exactly on a step boundary"
    assert all(0 <= step.start < step.stop <= TRAIN for step in plan), "no empty step, none across epochs"
    assert all(step.stop - step.start <= batch_size for step in plan)
    assert sum(step.stop - step.start for step in plan) == total
    assert ends == sorted(set(ends)) and ends[-1] == total


def test_split_batches_make_every_snapshot_distinct():
    """At batch 128 the 50- and 120-image targets fall inside the first batch: it is split
    at both, so three different optimiser states are snapshotted (0, 50, 120)."""
    targets = [s.images_seen for s in timeline(TRAIN, TRAIN)]
    plan = list(steps(TRAIN, TRAIN, 128, targets))
    assert [(s.start, s.stop) for s in plan[:3]] == [(0, 50), (50, 120), (120, 248)]
    step_at = {step.images_seen: number for number, step in enumerate(plan, start=1)}
    numbers = [step_at[t] for t in targets[1:]]
    assert numbers == sorted(set(numbers)), "a different number of optimiser steps before each snapshot"
