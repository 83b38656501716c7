"""Checkpoints (--checkpoint-dir) and resuming a killed run from them (--resume).

The folder holds `config.json` (every flag), `last.pt` (written at every dataset
multiple: everything a resumed run needs to write the same bytes as an uninterrupted
one), `best.pt` (the model at the snapshot with the lowest validation loss so far) and
`files/` (the export's snapshot files so far, each written once, so `last.pt` stays
small instead of growing with the timeline). Every file is written beside its name and
renamed over it, so a kill leaves the previous checkpoint or the new one.

Both .pt files hold only tensors, bytes and plain Python values: `torch.load(path,
weights_only=True)` reads them (numpy's RNG state is stored as a tensor for that)."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.config import TrainConfig
from training.loop import LoopPosition, cosine_lr
from training.recording import TimelineRecorder
from training.toolkit.atomic import atomic_file

FORMAT = "mnist-timeline-checkpoint"
FORMAT_VERSION = 1
LAST, BEST, CONFIG, FILES = "last.pt", "best.pt", "config.json", "files"
# Where a run writes its logs and checkpoints does not change what it computes.
NOT_COMPARED = ("checkpoint_dir", "resume", "tensorboard")


class CheckpointError(ValueError):
    """A checkpoint that cannot be resumed: one line, exit code 2."""


def _save(path: Path, state) -> None:
    with atomic_file(path) as temp:
        torch.save(state, temp)


def write_config(folder: Path, config: TrainConfig) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_file(folder / CONFIG) as temp:
        temp.write_text(json.dumps(config.to_json(), indent=2) + "\n", encoding="utf-8")


def save_last(
    folder: Path,
    config: TrainConfig,
    position: LoopPosition,
    model: nn.Module,
    step_function,
    recorder: TimelineRecorder,
    total: int,
) -> None:
    """The resumable checkpoint, at the end of an epoch (the next step draws a new
    permutation, so no position inside one is needed)."""
    timeline = recorder.state_dict()
    files = folder / FILES
    files.mkdir(parents=True, exist_ok=True)
    for name, payload in timeline.pop("files").items():
        if not (files / name).exists():  # content-addressed names: written once
            with atomic_file(files / name) as temp:
                temp.write_bytes(payload)
    timeline["file_names"] = sorted(recorder.files)
    keys, pos, has_gauss, gauss = np.random.get_state()[1:]
    _save(
        folder / LAST,
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "config": config.to_json(),
            "threads": torch.get_num_threads(),
            "step_number": position.step_number,
            "images_seen": position.images_seen,
            "lr_schedule": {
                "name": "cosine",
                "peak_lr": config.lr,
                "total_images": total,
                "images_seen": position.images_seen,
                "next_lr": cosine_lr(config.lr, position.images_seen / total),
            },
            "model": model.state_dict(),
            "optimiser": step_function.state_dict(),
            "rng": {
                "torch": torch.get_rng_state(),
                "numpy": {"keys": torch.from_numpy(keys.astype(np.int64)), "pos": pos, "gauss": (has_gauss, gauss)},
                "python": random.getstate(),
                "shuffle": position.shuffle_rng.get_state(),
                # The augmentation's shifts are drawn for the whole run up front from a
                # generator seeded by --seed: the config restores them.
            },
            "recorder": timeline,
        },
    )


def save_best(folder: Path, config: TrainConfig, model: nn.Module, entry: dict) -> None:
    """The model at the snapshot with the lowest validation loss so far (not resumable:
    for using or evaluating that model)."""
    metrics = {key: value for key, value in entry["metrics"].items() if key not in ("confusion", "mistakes")}
    snapshot = {key: entry[key] for key in ("index", "id", "label", "images_seen", "step", "epoch")}
    _save(
        folder / BEST,
        {
            "format": FORMAT,
            "config": config.to_json(),
            "snapshot": snapshot,
            "metrics": metrics,
            "model": model.state_dict(),
        },
    )


def load_for_resume(folder: Path, config: TrainConfig, device: torch.device) -> dict:
    """last.pt of `folder`, refused (CheckpointError, one line) when it was made with
    other flags or another thread count than this run's."""
    path = folder / LAST
    try:
        state = torch.load(path, map_location=device, weights_only=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets the same one line
        raise CheckpointError(f"--resume {folder}: cannot read {path}: {error}".splitlines()[0]) from error
    if not isinstance(state, dict) or state.get("format") != FORMAT or state.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(f"--resume {folder}: {path} is not a checkpoint of this script (format {FORMAT} 1)")
    then, now = state["config"], config.to_json()
    differing = [
        f"--{key.replace('_', '-')} ({_flag(then.get(key))} there, {_flag(now[key])} here)"
        for key in now
        if key not in NOT_COMPARED and then.get(key) != now[key]
    ]
    if state["threads"] != torch.get_num_threads():
        differing.append(f"the thread count ({state['threads']} there, {torch.get_num_threads()} here: --threads)")
    if differing:
        raise CheckpointError(f"--resume {folder}: the checkpoint was made with other flags: {', '.join(differing)}")
    return state


def _flag(value) -> str:
    return "none" if value is None else json.dumps(value)


def restore(state: dict, folder: Path, model: nn.Module, step_function, recorder: TimelineRecorder) -> tuple:
    """Puts the checkpoint's state back; returns the loop's `resume_at`."""
    timeline = dict(state["recorder"])
    files = {}
    sha256 = {entry["file"].rsplit("/", 1)[-1]: entry["sha256"] for entry in timeline["entries"]}
    for name in timeline.pop("file_names"):
        try:
            payload = (folder / FILES / name).read_bytes()
        except OSError as error:
            raise CheckpointError(f"--resume {folder}: cannot read {folder / FILES / name}: {error.strerror}") from None
        if hashlib.sha256(payload).hexdigest() != sha256.get(name):
            raise CheckpointError(f"--resume {folder}: {folder / FILES / name} does not match its checkpoint")
        files[name] = payload
    timeline["files"] = files
    model.load_state_dict(state["model"])
    step_function.load_state_dict(state["optimiser"])
    recorder.load_state_dict(timeline)
    rng = state["rng"]
    torch.set_rng_state(rng["torch"])
    numpy_state = rng["numpy"]
    np.random.set_state(
        ("MT19937", numpy_state["keys"].numpy().astype(np.uint32), numpy_state["pos"], *numpy_state["gauss"])
    )
    random.setstate(rng["python"])
    return state["step_number"], rng["shuffle"]
