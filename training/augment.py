"""Cheap training augmentation: random whole-pixel shifts of up to ±2 px in x and y.

Digits are stored once with a 2-px background border (32×32); a step's batch is then
cut out of its padded rows at that step's offset — one strided copy, no gather, no
interpolation. All digits of one optimiser step share the step's shift; across the
run every digit is still seen at many different shifts (a new one each epoch)."""

from __future__ import annotations

import torch

MAX_SHIFT = 2
SIDE = 28
PADDED = SIDE + 2 * MAX_SHIFT


def draw_shifts(count: int, generator: torch.Generator) -> list[tuple[int, int]]:
    """`count` (row, column) offsets into the padded digits; (2, 2) is the unshifted digit."""
    return [tuple(pair) for pair in torch.randint(0, 2 * MAX_SHIFT + 1, (count, 2), generator=generator).tolist()]


def crop(padded_batch: torch.Tensor, offset: tuple[int, int]) -> torch.Tensor:
    """[b, 32, 32] → [b, 784], the digits moved by (2 - row, 2 - column) pixels."""
    row, column = offset
    return padded_batch[:, row : row + SIDE, column : column + SIDE].reshape(-1, SIDE * SIDE)
