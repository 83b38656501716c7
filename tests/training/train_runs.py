"""Helpers for the training tests: short real training runs, quiet and in-process."""

from __future__ import annotations

import io
from pathlib import Path

import torch
from rich.console import Console

from training.config import TrainConfig
from training.mnist_data import Mnist
from training.run import RunResult, run

SHORT_RUN_IMAGES = 6000  # a few thousand real MNIST images: timeline init … img5800, img6000
SHORT_CNN_IMAGES = 3000  # the CNN trains ~15× slower per image: timeline init … img2000, img3000


def short_config(export_path: Path, mnist_dir: Path, **overrides) -> TrainConfig:
    values = dict(epochs=1, max_images=SHORT_RUN_IMAGES, data_dir=mnist_dir, export_path=export_path)
    values.update(overrides)
    return TrainConfig(**values)


def run_quietly(config: TrainConfig, mnist: Mnist) -> tuple[RunResult, str]:
    output = io.StringIO()
    result = run(config, mnist, torch.device("cpu"), Console(file=output, width=120))
    return result, output.getvalue()
