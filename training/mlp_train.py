#!/usr/bin/env python3
"""Train the MNIST MLP (or the small CNN) and export its training timeline.

    python training/mlp_train.py --export-path exports/mlp_weights.json
    python training/mlp_train.py --architecture cnn --export-path exports/cnn_weights.json

Runs from the repository root without installing anything (see README, "Training")."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `training` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch
from rich.console import Console

from training.checkpoint import CheckpointError
from training.config import ConfigError, TrainConfig, available_cores, fail, parse_config
from training.mnist_data import MIRRORS, DataError, load_mnist
from training.model import resolve_device
from training.progress import describe_path, human_bytes, print_summary
from training.recording import DivergedError
from training.run import run
from training.tensorboard_log import check_available as check_tensorboard

MIRRORS_VARIABLE = "MNIST_MIRRORS"  # space-separated base URLs replacing the public mirrors


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    try:
        config = parse_config(argv)
        device = resolve_device(config.device)
        if config.tensorboard is not None:
            check_tensorboard()
    except (ConfigError, ValueError, ImportError) as error:
        fail(str(error))
    torch.set_num_threads(config.threads or available_cores())
    mirrors = tuple(os.environ.get(MIRRORS_VARIABLE, "").split()) or MIRRORS
    try:
        mnist = load_mnist(config.data_dir, mirrors)
    except DataError as error:
        fail(str(error), code=1)

    console = Console(stderr=True)
    try:
        result = run(config, mnist, device, console)
    except DivergedError as error:
        fail(diverged_message(error, config.lr), code=1)
    except CheckpointError as error:
        fail(str(error))
    if result.shortened_note:
        console.print(f"[yellow]{result.shortened_note}")
    final = result.manifest["timeline"][-1]
    print_summary(
        Console(),
        [
            ("test accuracy", f"{final['metrics']['test_accuracy']:.2%} ({final['label']})"),
            ("snapshots", str(len(result.timeline))),
            ("duration", f"{time.perf_counter() - started:.1f} s on {device.type}, {torch.get_num_threads()} threads"),
            ("export size", human_bytes(result.export_bytes)),
            ("manifest", describe_path(config.export_path)),
        ],
    )
    return 0


def diverged_message(error: DivergedError, lr: float) -> str:
    """One line: where training diverged, the likely cause and a learning rate to try."""
    default = TrainConfig.lr
    smaller = default if lr > default else lr / 10
    return (
        f"training diverged: {error}; the learning rate is likely too high (--lr {lr:g}): "
        f"try a smaller one, e.g. --lr {smaller:g} (nothing was written)"
    )


if __name__ == "__main__":
    sys.exit(main())
