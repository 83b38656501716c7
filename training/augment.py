"""Training augmentation for digits as visitors draw them, cheap enough for the default run.

Two parts:
- **Whole-pixel shifts** of up to ±2 px in x and y, per optimiser step: digits are stored
  once with a 2-px background border (32×32); a step's batch is cut out of its padded rows
  at that step's offset — one strided copy, no gather, no interpolation. All digits of one
  step share the step's shift; across the run every digit is seen at many shifts.
- **Distortions** (recipe "distort", the default), regenerated for the whole training set
  `REFRESHES` times per run (every 10 epochs of the MLP's 50, every 3 of the CNN's 15) in
  a few large batched ops, not per batch (a per-batch
  affine_grid + grid_sample cost 0.8 ms per 128 digits, more than the MLP's step): half of
  the digits (`SHARE`, a new random half each time) are resampled through one sampling
  grid per digit that combines a small rotation, slant, scale, aspect, a sub-pixel
  off-centre shift and a smooth elastic displacement (nine low-frequency sine modes), and
  a third of those are made thicker and a third thinner (a blend with the 4-neighbour
  maximum or minimum: the page's own thickening, assets/js/model/preprocess.js). The grids
  are one matrix product of random coefficients with a fixed basis, then one grid_sample.
  The other half stays MNIST as it is, so test accuracy keeps its footing.
- **Drawings** (also recipe "distort"): of the redrawn half, the digits of a fixed pool of
  `DRAWN_POOL` training digits (per architecture) are instead rendered as fast drawings on the pad — their
  traced pen strokes joined by straight segments between a few pointer events, with the
  page's brush, crop-and-fit and stroke-width step (training/drawn.py): a quick eight of
  8 events is a polygon that MNIST's handwriting never shows.
Seeded and deterministic: the same generator state gives the same pixels."""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from training.normalisation import PIXEL_MEAN, PIXEL_STD

MAX_SHIFT = 2
SIDE = 28
PADDED = SIDE + 2 * MAX_SHIFT

REFRESHES = 5  # ~0.5 s each on 2 cores: the MLP's run stays within 1.2× of the shifts-only one
SHARE = 0.5
ROTATION = math.radians(12)  # ± radians
SLANT = 0.3  # ± x shift per unit of y
SCALE = (0.85, 1.1)  # digit size
ASPECT = (0.8, 1.2)  # width / height
OFFSET = 1.5  # ± px, on top of the whole-pixel shifts
ELASTIC = 0.03  # std of each sine mode's amplitude, in grid units (1 = half the image): ~0.6 px typical
THICKNESS = (0.4, 1.0)  # how much of a full dilation or erosion
# training digits that may be redrawn as fast drawings, per architecture: with 36,000 or
# 24,000 the CNN's MNIST accuracy fell under its 99.2% goal (99.11% both times; 99.47% with 12,000)
DRAWN_POOL = {"mlp": 36000, "cnn": 12000}
POOL_SEED = 16


def draw_shifts(count: int, generator: torch.Generator) -> list[tuple[int, int]]:
    """`count` (row, column) offsets into the padded digits; (2, 2) is the unshifted digit."""
    return [tuple(pair) for pair in torch.randint(0, 2 * MAX_SHIFT + 1, (count, 2), generator=generator).tolist()]


def crop(padded_batch: torch.Tensor, offset: tuple[int, int]) -> torch.Tensor:
    """[b, 32, 32] → [b, 784], the digits moved by (2 - row, 2 - column) pixels."""
    row, column = offset
    return padded_batch[:, row : row + SIDE, column : column + SIDE].reshape(-1, SIDE * SIDE)


def _basis() -> torch.Tensor:
    """[12, 784]: 1, x, y and nine smooth modes sin(πk·u)·sin(πm·v) (k, m = 1..3, u, v in
    0..1 across the image) at the pixel centres, in grid_sample's coordinates (−1..1)."""
    centres = (torch.arange(SIDE, dtype=torch.float64) * 2 + 1) / SIDE - 1
    y, x = torch.meshgrid(centres, centres, indexing="ij")
    u, v = (x + 1) / 2, (y + 1) / 2
    modes = [torch.sin(math.pi * k * u) * torch.sin(math.pi * m * v) for k in (1, 2, 3) for m in (1, 2, 3)]
    return torch.stack([torch.ones_like(x), x, y, *modes]).reshape(12, -1).float()


BASIS = _basis()


def _uniform(count: int, low: float, high: float, generator: torch.Generator) -> torch.Tensor:
    return torch.rand(count, generator=generator) * (high - low) + low


def neighbourhood(images: torch.Tensor, thicker: bool) -> torch.Tensor:
    """[n, 28, 28] → the maximum (thicker) or minimum over each pixel and its 4 neighbours."""
    pick = torch.maximum if thicker else torch.minimum
    out = images.clone()
    for shifted, target in (
        (images[:, :-1], out[:, 1:]),
        (images[:, 1:], out[:, :-1]),
        (images[:, :, :-1], out[:, :, 1:]),
        (images[:, :, 1:], out[:, :, :-1]),
    ):
        pick(target, shifted, out=target)
    if not thicker:  # outside the image is background: border pixels lose their ink
        out[:, 0], out[:, -1], out[:, :, 0], out[:, :, -1] = 0, 0, 0, 0
    return out


def grids(angle, slant, scale, aspect, offset, elastic) -> torch.Tensor:
    """[n, 28, 28, 2] sampling grids (for grid_sample, align_corners=False) of n digits:
    rotation `angle` (radians), `slant` (x shift per unit of y), `scale` (the digit's size),
    `aspect` (width / height), `offset` [n, 2] (x, y in grid units) and `elastic` [n, 2, 9]
    (each sine mode's amplitude in x and y, grid units)."""
    # the grid maps output pixels to where they are read in the digit: a larger digit reads
    # a smaller area, so x is divided by its width, y by its height
    sx, sy = 1 / (scale * aspect.sqrt()), aspect.sqrt() / scale
    cos, sin = torch.cos(angle), torch.sin(angle)
    coefficients = torch.empty(len(angle), 2, 12)
    coefficients[:, :, 0] = offset
    coefficients[:, 0, 1], coefficients[:, 0, 2] = cos * sx, (slant * cos - sin) * sy
    coefficients[:, 1, 1], coefficients[:, 1, 2] = sin * sx, (slant * sin + cos) * sy
    coefficients[:, :, 3:] = elastic
    # one plain matrix product ([2n, 12] × [12, 784]): a batched one of 2 × 12 each crawls
    return (coefficients.reshape(-1, 12) @ BASIS).reshape(-1, 2, SIDE, SIDE).permute(0, 2, 3, 1)


def random_grids(count: int, generator: torch.Generator) -> torch.Tensor:
    """`grids` with every parameter drawn from its range (the constants above)."""
    return grids(
        _uniform(count, -ROTATION, ROTATION, generator),
        _uniform(count, -SLANT, SLANT, generator),
        _uniform(count, *SCALE, generator),
        _uniform(count, *ASPECT, generator),
        (torch.rand(count, 2, generator=generator) * 2 - 1) * (OFFSET * 2 / SIDE),
        torch.randn(count, 2, 9, generator=generator) * ELASTIC,
    )


def sample(ink: torch.Tensor, grid: torch.Tensor) -> torch.Tensor:
    """[n, 28, 28] ink read through [n, 28, 28, 2] grids (bilinear, background outside)."""
    return F.grid_sample(ink.unsqueeze(1), grid, mode="bilinear", padding_mode="zeros", align_corners=False)[:, 0]


def distort(ink: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """[n, 28, 28] ink (0..1) → every digit distorted, a third thicker, a third thinner."""
    count = len(ink)
    out = sample(ink, random_grids(count, generator))
    kind = torch.randint(0, 3, (count,), generator=generator)  # 0 as drawn, 1 thicker, 2 thinner
    amount = _uniform(count, *THICKNESS, generator).view(-1, 1, 1)
    for value, thicker in ((1, True), (2, False)):
        chosen = (kind == value).nonzero().flatten()
        part = out.index_select(0, chosen)
        out.index_copy_(0, chosen, part + amount[chosen] * (neighbourhood(part, thicker) - part))
    return out


class Augmenter:
    """The training digits of one run with a new distorted half every few epochs: `images`
    is padded and normalised like TrainingData's ([n, 32, 32]), a copy of them (the
    caller's tensor is left as it was); call `epoch()` at the start of every epoch.
    Of the redrawn half, the digits of a fixed pool (`pool_size`, traced once and cached:
    training/drawn.py) are rendered as fast drawings on the pad, the rest distorted."""

    def __init__(self, padded: torch.Tensor, seed: int, epochs: int, pool_size: int = DRAWN_POOL["mlp"]):
        from training import drawn  # it builds on this module's distortions

        self.images = padded.clone()
        inner = padded[:, MAX_SHIFT : MAX_SHIFT + SIDE, MAX_SHIFT : MAX_SHIFT + SIDE]
        # MNIST as it is, on the CPU where the generator and basis live (copied back to the device)
        self.ink = (inner.cpu() * PIXEL_STD + PIXEL_MEAN).clamp_(0, 1)
        self.generator = torch.Generator().manual_seed(seed)
        self.every = max(1, math.ceil(epochs / REFRESHES))
        self.epochs = 0
        # the same pool for every seed, so one cache serves every run on these digits
        pool = torch.randperm(len(self.ink), generator=torch.Generator().manual_seed(POOL_SEED))
        pool = pool[: min(pool_size, len(pool))].sort().values
        digits = (self.ink.index_select(0, pool) * 255).round_().to(torch.uint8).numpy()
        points, lengths = drawn.load_strokes(digits)
        usable = drawn.drawable(lengths)
        self.pool, self.points, self.lengths = pool[usable], points[usable], lengths[usable]
        self.draw_fast = drawn.draw
        self.in_pool = torch.full((len(self.ink),), -1, dtype=torch.long)
        self.in_pool[self.pool] = torch.arange(len(self.pool))

    def epoch(self) -> None:
        if self.epochs % self.every == 0:
            order = torch.randperm(len(self.ink), generator=self.generator)
            redrawn = order[round((1 - SHARE) * len(self.ink)) :]
            slot = self.in_pool[redrawn]
            drawing, distorting = redrawn[slot >= 0], redrawn[slot < 0]
            ink = self.ink.clone()
            ink.index_copy_(0, distorting, distort(self.ink.index_select(0, distorting), self.generator))
            picked = slot[slot >= 0]
            ink.index_copy_(0, drawing, self.draw_fast(self.points[picked], self.lengths[picked], self.generator))
            inner = self.images[:, MAX_SHIFT : MAX_SHIFT + SIDE, MAX_SHIFT : MAX_SHIFT + SIDE]
            inner.copy_(ink.sub_(PIXEL_MEAN).div_(PIXEL_STD))  # to the training device
        self.epochs += 1
