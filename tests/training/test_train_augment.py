"""The distortion augmentation (training/augment.py): each transform on a known digit gives
the expected pixels, and the same seed gives the same pixels."""

from __future__ import annotations

import math

import pytest
import torch

from training import augment
from training.normalisation import normalise

SIDE = augment.SIDE


def one(value: float) -> torch.Tensor:
    return torch.tensor([value], dtype=torch.float32)


def transform(ink: torch.Tensor, angle=0.0, slant=0.0, scale=1.0, aspect=1.0, offset=(0.0, 0.0)) -> torch.Tensor:
    grid = augment.grids(one(angle), one(slant), one(scale), one(aspect), torch.tensor([offset]), torch.zeros(1, 2, 9))
    return augment.sample(ink.unsqueeze(0), grid)[0]


def bar(vertical: bool, width: int = 2) -> torch.Tensor:
    image = torch.zeros(SIDE, SIDE)
    if vertical:
        image[4:24, 13 : 13 + width] = 1
    else:
        image[13 : 13 + width, 4:24] = 1
    return image


def test_no_distortion_reads_every_pixel_where_it_is():
    digit = bar(vertical=True)
    assert torch.allclose(transform(digit), digit, atol=1e-5)


def test_a_quarter_turn_makes_a_vertical_bar_horizontal():
    turned = transform(bar(vertical=True), angle=math.pi / 2)
    assert torch.allclose(turned, bar(vertical=False), atol=1e-4)


def test_a_small_rotation_tilts_the_bar_by_its_angle():
    turned = transform(bar(vertical=True, width=1), angle=math.radians(10))
    rows = torch.arange(SIDE, dtype=torch.float32) + 0.5
    centre_x = [(turned[y] * (torch.arange(SIDE) + 0.5)).sum() / turned[y].sum() for y in (6, 21)]
    tilt = (centre_x[1] - centre_x[0]) / (rows[21] - rows[6])
    assert abs(abs(float(tilt)) - math.tan(math.radians(10))) < 0.02


def test_slant_scale_aspect_and_offset_move_the_ink_as_asked():
    digit = bar(vertical=True)
    slanted = transform(digit, slant=0.25)
    top, bottom = slanted[5].argmax(), slanted[22].argmax()
    assert abs(abs(int(bottom - top)) - round(0.25 * 17)) <= 1  # x moves by the slant per row
    assert transform(digit, scale=1.1).sum() > digit.sum() * 1.15  # larger: more ink
    assert transform(digit, aspect=0.8)[14].gt(0.5).sum() < digit[14].gt(0.5).sum() + 1  # narrower
    moved = transform(digit, offset=(2 / SIDE * -1, 0.0))  # −1 px in grid units reads 1 px to the left
    assert torch.allclose(moved[:, 14:16], digit[:, 13:15], atol=1e-5)


def test_a_dilated_stroke_is_one_pixel_wider_on_each_side_and_an_eroded_one_thinner():
    digit = bar(vertical=True, width=3)
    thicker = augment.neighbourhood(digit.unsqueeze(0), thicker=True)[0]
    expected = torch.zeros(SIDE, SIDE)
    expected[4:24, 12:17] = 1
    expected[3, 13:16] = expected[24, 13:16] = 1  # the 4-neighbourhood: ends grow without corners
    assert torch.equal(thicker, expected)
    thinner = augment.neighbourhood(digit.unsqueeze(0), thicker=False)[0]
    expected = torch.zeros(SIDE, SIDE)
    expected[5:23, 14] = 1
    assert torch.equal(thinner, expected)


@pytest.fixture(scope="module")
def padded(mnist):
    return normalise(mnist.train_images[:600], augment.MAX_SHIFT)


def test_the_same_seed_gives_the_same_pixels_and_another_seed_others(padded):
    runs = []
    for seed in (5, 5, 6):
        augmenter = augment.Augmenter(padded, seed, epochs=1)
        augmenter.epoch()
        runs.append(augmenter.images)
    assert torch.equal(runs[0], runs[1])
    assert not torch.equal(runs[0], runs[2])


def test_half_of_the_digits_are_distorted_and_the_callers_digits_are_left_alone(padded):
    before = padded.clone()
    augmenter = augment.Augmenter(padded, 1, epochs=10)
    augmenter.epoch()
    assert torch.equal(padded, before)
    changed = (augmenter.images - padded).abs().amax(dim=(1, 2)) > 1e-4
    assert int(changed.sum()) == round(augment.SHARE * len(padded))
    first = augmenter.images.clone()
    augmenter.epoch()  # not yet a new distortion: every 2nd epoch of 10 (5 refreshes)
    assert torch.equal(augmenter.images, first)
    augmenter.epoch()
    assert not torch.equal(augmenter.images, first)
