"""The MNIST test set for the commands that score a network (evaluate, onnx): the
training code's IDX reader and mirrors, but only the two test files are read (or
downloaded when missing), and every problem is one ToolError naming the file."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.mnist_data import FILES, MIRRORS, DataError, download_missing, find_file, parse_idx, read_idx_bytes
from training.toolkit.errors import ToolError
from training.toolkit.reader import InputSpec

MIRRORS_VARIABLE = "MNIST_MIRRORS"
TEST_FILES = ("test_images", "test_labels")


@dataclass(frozen=True)
class TestSet:
    images: np.ndarray  # uint8 [10000, 28, 28]
    labels: np.ndarray  # uint8 [10000]

    def normalised(self, spec: InputSpec) -> torch.Tensor:
        """float32 [n, 784] exactly as the exporter computed its metrics (training/normalisation.py:
        the same two in-place operations with the same constants, so the bits agree)."""
        pixels = torch.zeros((len(self.images), self.images.shape[1], self.images.shape[2]))
        pixels[:] = torch.from_numpy(self.images)
        pixels.mul_(1.0 / (spec.scale * spec.std)).sub_(spec.mean / spec.std)
        return pixels.reshape(len(self.images), -1)

    def label_tensor(self) -> torch.Tensor:
        return torch.from_numpy(self.labels.astype(np.int64))


def load_test_set(data_dir: Path) -> TestSet:
    mirrors = tuple(os.environ.get(MIRRORS_VARIABLE, "").split()) or MIRRORS
    try:
        paths = {key: find_file(data_dir, FILES[key]) for key in TEST_FILES}
        missing = {key: FILES[key] for key, path in paths.items() if path is None}
        if missing:
            paths.update(download_missing(data_dir, missing, mirrors))
        arrays = {}
        for key in TEST_FILES:
            spec, path = FILES[key], paths[key]
            data = read_idx_bytes(path)
            arrays[key] = parse_idx(data, path, spec.magic, spec.shape)
            if hashlib.md5(data).hexdigest() != spec.md5_raw:
                raise DataError(f"{path}: checksum mismatch: the content is not the canonical MNIST {spec.name}")
    except DataError as error:
        raise ToolError(f"{error} (MNIST test set; --data-dir names its folder)") from error
    except OSError as error:
        raise ToolError(f"{data_dir}: cannot use the MNIST folder ({error})") from error
    return TestSet(arrays["test_images"], arrays["test_labels"])
