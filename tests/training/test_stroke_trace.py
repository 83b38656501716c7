"""training/stroke_trace.py: a digit's skeleton traced into the pen strokes a person draws —
straight on through crossings (an 8 is one stroke crossing itself at its waist, not a 0's
outline or two loops), lifting the pen as seldom as the shape allows. The strokes are what
the drawn-digits benchmark replays and what the training's fast drawings are made of."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from training.stroke_trace import digit_lines, line_length

SCALE = 8  # drawn at 8× and reduced, as MNIST's digits were anti-aliased


def digit(*polylines, width: float = 2.2) -> np.ndarray:
    """A 28×28 uint8 digit with these polylines (28×28 pixel coordinates) inked."""
    large = Image.new("L", (28 * SCALE, 28 * SCALE))
    pen = ImageDraw.Draw(large)
    for line in polylines:
        points = [(x * SCALE, y * SCALE) for x, y in line]
        pen.line(points, fill=255, width=round(width * SCALE), joint="curve")
        for x, y in (points[0], points[-1]):
            r = width * SCALE / 2
            pen.ellipse((x - r, y - r, x + r, y + r), fill=255)
    return np.asarray(large.resize((28, 28), Image.BOX))


def curve(function, start: float, stop: float, count: int = 200) -> list[tuple[float, float]]:
    return [function(t) for t in np.linspace(start, stop, count)]


def figure_eight(t: float) -> tuple[float, float]:
    """Crosses itself at (14, 14), going down-right both times: t = 0 and t = π."""
    return 14 + 6 * np.sin(2 * t), 14 + 10 * np.sin(t)


def turn_at(stroke: np.ndarray, point, reach: float = 2.5) -> list[float]:
    """The pen's change of direction, in degrees, each time it passes `point`."""
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(stroke, axis=0).T))])
    near = np.hypot(*(stroke - point).T)
    turns = []
    for i in np.flatnonzero((near < 1.0) & (np.r_[True, near[1:] <= near[:-1]]) & (np.r_[near[:-1] < near[1:], True])):
        before = stroke[np.searchsorted(along, along[i] - reach)]
        after = stroke[min(np.searchsorted(along, along[i] + reach), len(stroke) - 1)]
        a, b = stroke[i] - before, after - stroke[i]
        if min(np.hypot(*a), np.hypot(*b)) > 0.5 * reach:  # passes through, not an end
            cosine = a @ b / np.hypot(*a) / np.hypot(*b)
            turns.append(float(np.degrees(np.arccos(np.clip(cosine, -1, 1)))))
    return turns


def test_an_eight_is_one_stroke_that_goes_straight_on_through_its_waist():
    strokes = digit_lines(digit(curve(figure_eight, 0, 2 * np.pi)))
    assert len(strokes) == 1, [line_length(s) for s in strokes]
    stroke = strokes[0]
    expected = line_length(np.array(curve(figure_eight, 0, 2 * np.pi, 2000)))
    assert abs(line_length(stroke) - expected) < 0.12 * expected
    assert np.hypot(*(stroke[-1] - stroke[0])) < 1.5  # closed: it ends where it began
    turns = turn_at(np.roll(stroke, len(stroke) // 4, axis=0), np.array([14.0, 14.0]))  # both passes inside
    # it crosses its waist twice, both times nearly straight (a 0's outline turns back there)
    assert len(turns) == 2 and max(turns) < 40, turns


def test_crossing_bars_are_two_straight_strokes():
    strokes = digit_lines(digit([(6, 6), (22, 22)], [(22, 6), (6, 22)]))
    assert len(strokes) == 2
    for stroke in strokes:
        ends = np.hypot(*(stroke[-1] - stroke[0]))
        assert ends > 0.95 * line_length(stroke) and ends > 18  # end to end: a straight bar


def test_a_t_keeps_its_bar_whole_and_its_stem_apart():
    strokes = digit_lines(digit([(5, 7), (23, 7)], [(14, 7), (14, 23)]))
    assert len(strokes) == 2
    bar, stem = strokes  # longest first
    assert np.ptp(bar[:, 0]) > 15 and np.ptp(bar[:, 1]) < 2
    assert np.ptp(stem[:, 1]) > 12 and np.ptp(stem[:, 0]) < 2


def test_a_ring_with_a_little_tail_is_one_stroke_the_tail_its_overshoot():
    ring = curve(lambda t: (14 + 7 * np.cos(t), 14 + 9 * np.sin(t)), 0, 2 * np.pi)
    tail = [(14, 5), (15.5, 8.5)]  # from the top of the ring, a short tick inwards
    strokes = digit_lines(digit(ring, tail))
    assert len(strokes) == 1
    assert line_length(strokes[0]) > 2 * np.pi * 7


@pytest.mark.parametrize("label, share", [(8, 0.5)])
def test_most_of_mnist_s_eights_are_drawn_in_one_stroke(mnist, label, share):
    eights = mnist.train_images[mnist.train_labels == label][:300]
    single = sum(len(digit_lines(image)) == 1 for image in eights) / len(eights)
    assert single >= share, f"{single:.0%} of the eights are one stroke"  # 27% when loops were separate strokes
