"""Fixtures for the training tests: the real MNIST arrays, and one short real training
run per architecture shared by every test that only reads its export."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from train_runs import SHORT_CNN_IMAGES, run_quietly, short_config

from training.config import TrainConfig
from training.mnist_data import Mnist, load_mnist
from training.run import RunResult


@dataclass(frozen=True)
class ShortRun:
    config: TrainConfig
    result: RunResult
    output: str

    @property
    def manifest_path(self) -> Path:
        return self.config.export_path


@pytest.fixture(scope="session")
def mnist(mnist_dir) -> Mnist:
    return load_mnist(mnist_dir, mirrors=())


@pytest.fixture(scope="session")
def short_run(tmp_path_factory, mnist, mnist_dir) -> ShortRun:
    config = short_config(tmp_path_factory.mktemp("short") / "mlp_weights.json", mnist_dir)
    result, output = run_quietly(config, mnist)
    return ShortRun(config, result, output)


@pytest.fixture(scope="session")
def short_cnn_run(tmp_path_factory, mnist, mnist_dir) -> ShortRun:
    path = tmp_path_factory.mktemp("short-cnn") / "cnn_weights.json"
    config = short_config(path, mnist_dir, architecture="cnn", hidden_dims=(64,), max_images=SHORT_CNN_IMAGES)
    result, output = run_quietly(config, mnist)
    return ShortRun(config, result, output)


@pytest.fixture
def previous_export(short_run, tmp_path) -> Path:
    """A complete, valid export in a fresh folder, to be overwritten by the test."""
    folder = tmp_path / "exports"
    shutil.copytree(short_run.manifest_path.parent, folder)
    return folder / short_run.manifest_path.name


VAL_SIZE = 5000


@pytest.fixture(scope="session")
def short_val_run(tmp_path_factory, mnist, mnist_dir) -> ShortRun:
    """The short run with a validation split (--val-size 5000): one per session, shared
    by the validation, early-stopping and page tests."""
    config = short_config(tmp_path_factory.mktemp("short-val") / "mlp_weights.json", mnist_dir, val_size=VAL_SIZE)
    result, output = run_quietly(config, mnist)
    return ShortRun(config, result, output)
