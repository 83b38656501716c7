"""Training digits rendered as fast drawings (training/drawn.py): a known stroke gives the
expected pixels, the pointer events fall where the pad would put them, the page's
stroke-width step is the toolkit's, the strokes are cached, the same seed gives the same pixels."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from training import augment, drawn
from training.normalisation import normalise
from training.toolkit.preprocess import normalise_stroke_width

SIDE = drawn.SIDE


def segment(x0, y0, x1, y1) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.tensor([[[x0, y0, x1, y1]]], dtype=torch.float32), torch.tensor([[True]])


def test_a_straight_stroke_paints_a_bar_of_the_brush_width_where_it_was_drawn():
    radius = 2.0
    ink = drawn.paint(*segment(14.0, 6.0, 14.0, 22.0), torch.tensor([radius]))[0]
    rows = ink[8:21]
    assert torch.allclose(rows[:, 13:15], torch.ones(13, 2))  # pixel centres 0.5 px from the line: inside
    assert torch.all(rows[:, :12] == 0) and torch.all(rows[:, 16:] == 0)
    assert torch.allclose(ink, ink.flip(1))  # symmetric about x = 14
    # across the bar: full core, half-inked rim middle → (core + radius) in all
    assert torch.allclose(rows.sum(1), torch.full((13,), (1 + drawn.CORE) * radius), atol=0.1)
    assert ink[:4].sum() == 0 and ink[24:].sum() == 0  # round caps end 2 px past the ends
    assert ink[5, 13] > 0.99 and 0 < ink[4, 13] < 1 and ink[3, 13] == 0  # the cap: 1.58 px out is in the rim


def test_a_wider_brush_paints_a_wider_bar():
    for radius in (2.0, 3.0):
        ink = drawn.paint(*segment(4.0, 14.0, 24.0, 14.0), torch.tensor([radius]))[0]
        assert abs(float(ink[:, 14].sum()) - (1 + drawn.CORE) * radius) < 0.1  # its ink across: 2 × half


def test_pointer_events_are_spread_over_the_strokes_by_length_and_evenly_along_them():
    points = torch.zeros(1, drawn.STROKES, drawn.POINTS, 2)
    points[0, 0, :, 0] = torch.linspace(0, 31, drawn.POINTS)  # a horizontal stroke, 31 px
    points[0, 1, :, 1] = torch.linspace(0, 10, drawn.POINTS)  # a vertical one, 10 px
    lengths = torch.tensor([[31.0, 10.0, 0.0, 0.0]])
    segments, valid = drawn.events(points, lengths, torch.tensor([8.0]))
    kept = segments[0][valid[0]]
    horizontal = kept[(kept[:, 1] == 0) & (kept[:, 3] == 0)]
    # 8 events × 31/41 → 6 events (5 segments) on the long stroke, max(2, 2) → 1 segment on the short
    assert len(horizontal) == 5 and len(kept) == 6
    assert torch.allclose(horizontal[:, 0], torch.linspace(0, 31, 6)[:-1], atol=1e-4)
    assert torch.allclose(horizontal[:, 2], torch.linspace(0, 31, 6)[1:], atol=1e-4)
    assert torch.allclose(kept[-1], torch.tensor([0.0, 0.0, 0.0, 10.0]), atol=1e-4)


@pytest.fixture(scope="module")
def traced(mnist):
    points, lengths = drawn.trace(mnist.train_images[:200])
    return torch.from_numpy(points), torch.from_numpy(lengths)


def test_drawn_digits_are_fitted_and_centred_as_the_page_does(traced):
    usable = drawn.drawable(traced[1])
    ink = drawn.draw(traced[0][usable], traced[1][usable], torch.Generator().manual_seed(3))
    centres = torch.arange(SIDE, dtype=torch.float32) + 0.5
    mass = ink.sum((1, 2))
    centre_x = (ink.sum(1) * centres).sum(1) / mass
    centre_y = (ink.sum(2) * centres).sum(1) / mass
    # the centre of mass is estimated from the segments (overlaps count twice): near the page's exact one
    off = torch.stack([centre_x - 14, centre_y - 14]).abs()
    assert off.median() < 0.3 and off.max() < 2.0
    marked = ink >= 0.05
    height = marked.any(2).sum(1)
    width = marked.any(1).sum(1)
    longer = torch.maximum(height, width)
    assert longer.float().median() in (20, 21) and longer.min() >= 18 and longer.max() <= 23


def test_the_batched_stroke_width_step_is_the_page_s(traced):
    usable = drawn.drawable(traced[1])
    gen = torch.Generator().manual_seed(1)
    counts = torch.full((int(usable.sum()),), 9.0)
    segments, valid = drawn.events(traced[0][usable], traced[1][usable], counts)
    placed, _ = drawn.place(segments, valid, gen)
    ink = drawn.paint(placed, valid, torch.full((len(placed),), 0.5))  # a thin brush: the step thickens
    ours = drawn.normalise_stroke_width(ink).numpy()
    page = np.stack([normalise_stroke_width(image) for image in ink.numpy()])
    assert np.abs(ours - page).max() < 1e-5
    assert (np.abs(page - ink.numpy()).max((1, 2)) > 0.1).mean() > 0.5  # most were thickened


def test_the_same_seed_draws_the_same_pixels_and_another_seed_others(traced):
    usable = drawn.drawable(traced[1])
    points, lengths = traced[0][usable], traced[1][usable]
    runs = [drawn.draw(points, lengths, torch.Generator().manual_seed(seed)) for seed in (4, 4, 5)]
    assert torch.equal(runs[0], runs[1])
    assert not torch.equal(runs[0], runs[2])


def test_traced_strokes_are_cached_by_the_digits_checksum(mnist, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    digits = mnist.train_images[:30]
    first = drawn.load_strokes(digits)
    assert "tracing the pen strokes of 30 training digits once" in capsys.readouterr().err
    (cached,) = (tmp_path / "mnist-visualiser").iterdir()
    assert cached.suffix == ".npz" and not list(cached.parent.glob("*.tmp*"))

    def no_tracing(_):
        raise AssertionError("traced again although cached")

    monkeypatch.setattr(drawn, "trace", no_tracing)
    again = drawn.load_strokes(digits)
    assert torch.equal(first[0], again[0]) and torch.equal(first[1], again[1])
    assert capsys.readouterr().err == ""
    with pytest.raises(AssertionError, match="traced again"):
        drawn.load_strokes(mnist.train_images[30:60])  # other digits: another key


def test_the_augmenter_draws_its_pool_and_distorts_the_rest_of_the_redrawn_half(mnist, monkeypatch):
    padded = normalise(mnist.train_images[:600], augment.MAX_SHIFT)
    augmenter = augment.Augmenter(padded, 1, epochs=1, pool_size=300)
    augmenter.epoch()
    changed = (augmenter.images - padded).abs().amax(dim=(1, 2)) > 1e-4
    in_pool = torch.zeros(600, dtype=torch.bool)
    in_pool[augmenter.pool] = True
    assert int(changed.sum()) == round(augment.SHARE * 600)
    assert 100 < int((changed & in_pool).sum()) < 200  # about half of the pool was redrawn


def test_no_pool_digit_in_a_redrawn_half_draws_nothing_and_an_empty_pool_traces_nothing(mnist, monkeypatch, capsys):
    assert drawn.draw(torch.zeros(0, drawn.STROKES, drawn.POINTS, 2), torch.zeros(0, drawn.STROKES), None).shape == (
        0,
        SIDE,
        SIDE,
    )
    padded = normalise(mnist.train_images[:100], augment.MAX_SHIFT)
    augmenter = augment.Augmenter(padded, 1, epochs=1, pool_size=0)
    augmenter.epoch()
    changed = (augmenter.images - padded).abs().amax(dim=(1, 2)) > 1e-4
    assert int(changed.sum()) == round(augment.SHARE * 100) and capsys.readouterr().err == ""
