"""Fixtures for the toolkit tests: the MNIST test set, the committed export read by the
toolkit's reader, and the 10,000 test digits written once as PNG files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from toolkit_helpers import COMMITTED

from training.toolkit.mnist import TestSet, load_test_set
from training.toolkit.reader import Export, open_export


@pytest.fixture(scope="session")
def test_set(mnist_dir) -> TestSet:
    return load_test_set(mnist_dir)


@pytest.fixture(scope="session")
def committed() -> Export:
    return open_export(COMMITTED)


@dataclass(frozen=True)
class DigitFiles:
    folder: Path
    names: list[str]  # relative to folder, in test-set order
    labels: np.ndarray


@pytest.fixture(scope="session")
def test_pngs(test_set, tmp_path_factory) -> DigitFiles:
    """The 10,000 MNIST test digits as 28×28 greyscale PNG files (white digit on black)."""
    folder = tmp_path_factory.mktemp("mnist-png")
    names = []
    for index, image in enumerate(test_set.images):
        name = f"{index:05d}.png"
        Image.fromarray(image).save(folder / name, compress_level=1)
        names.append(name)
    return DigitFiles(folder, names, test_set.labels.astype(np.int64))
