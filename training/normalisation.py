"""MNIST pixels as the network sees them: the normalisation the manifest documents and
the page repeats in the browser (docs/export-format.md, `model.input`)."""

from __future__ import annotations

import numpy as np
import torch

PIXEL_SCALE = 255.0
PIXEL_MEAN = 0.1307
PIXEL_STD = 0.3081


def normalise(images: np.ndarray, border: int = 0, mean: float = PIXEL_MEAN, std: float = PIXEL_STD) -> torch.Tensor:
    """uint8 [n, 28, 28] → float32 [n, 784] with the normalisation the manifest documents;
    with a border, [n, 28 + 2·border, 28 + 2·border] surrounded by background. Two in-place
    passes: the conversion is the slowest part of start-up."""
    count, side = len(images), images.shape[1] + 2 * border
    pixels = torch.zeros((count, side, side))
    pixels[:, border : side - border, border : side - border] = torch.from_numpy(images)
    pixels.mul_(1.0 / (PIXEL_SCALE * std)).sub_(mean / std)
    return pixels if border else pixels.reshape(count, -1)
