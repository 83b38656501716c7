"""Cross-language oracle: the toolkit's preprocessing (Python) against the page's own
JavaScript (assets/js, run by node) on the same inputs — drawings made like the pad's,
MNIST digits, and photo-like files of those drawings (inverted, on a grey background,
large, off-centre)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from toolkit_helpers import drawing, page_preprocess_js

from training.toolkit.preprocess import (
    THINNEST_STROKE,
    ink_from_grey,
    load_grey,
    page_preprocess,
    prepare_file,
    stroke_width,
)

EXACT = 1e-5  # float32 (page) against float64 (toolkit) arithmetic


@pytest.fixture(scope="module")
def drawings() -> list[np.ndarray]:
    """40 pad drawings (4 of each digit), quantised to 8-bit ink levels so a PNG holds them exactly."""
    rng = np.random.default_rng(11)
    return [np.round(drawing(digit, rng) * 255) / 255 for digit in range(10) for _ in range(4)]


def test_python_preprocessing_equals_the_pages_on_pad_drawings_and_mnist_digits(drawings, test_set, tmp_path):
    digits = [image / 255.0 for image in test_set.images[:200]]
    inks = drawings + digits
    page = page_preprocess_js(inks, tmp_path)
    ours = np.stack([page_preprocess(ink) for ink in inks])
    assert np.isfinite(page).all()
    assert np.abs(ours - page).max() <= EXACT
    centre = (ours.sum(axis=(1, 2)) > 0).all()  # sanity: nothing came out blank
    assert centre


def test_thin_strokes_are_thickened_alike_by_both(test_set, tmp_path):
    """Hair-thin drawings (MNIST digits thinned to their cores, as a fine brush on a big
    digit leaves them) go through the stroke-width normalisation in both languages."""
    digits = test_set.images[:100] / 255.0
    padded = np.pad(digits, ((0, 0), (1, 1), (1, 1)))
    thin = np.minimum.reduce(
        [digits, padded[:, :-2, 1:-1], padded[:, 2:, 1:-1], padded[:, 1:-1, :-2], padded[:, 1:-1, 2:]]
    )
    inks = [np.kron(ink, np.ones((10, 10))) for ink in thin if ink.max() >= 0.5]  # on a 280×280 pad
    page = page_preprocess_js(inks, tmp_path)
    ours = np.stack([page_preprocess(ink) for ink in inks])
    assert np.abs(ours - page).max() <= EXACT
    before = [stroke_width(np.minimum(ink[::10, ::10], 1)) for ink in inks]
    assert sum(width < THINNEST_STROKE for width in before) >= len(inks) // 2  # the step did act
    assert min(stroke_width(image) for image in ours) > min(before)


def test_the_blank_pad_is_blank_for_both(tmp_path):
    blank = np.zeros((280, 280))
    dust = np.full((50, 60), 0.049)  # below the page's ink threshold everywhere
    page = page_preprocess_js([blank, dust], tmp_path)
    assert np.isnan(page).all()
    assert page_preprocess(blank) is None and page_preprocess(dust) is None


def _save(array: np.ndarray, path: Path) -> Path:
    Image.fromarray(np.clip(np.round(array), 0, 255).astype(np.uint8)).save(path, compress_level=1)
    return path


def photo_like_files(ink: np.ndarray, folder: Path, stem: str) -> dict[str, Path]:
    """The same drawing as files a user might have."""
    levels = ink * 255
    big = np.kron(levels, np.ones((4, 4)))  # 1120×1120: the box filter makes it the same 28×28
    canvas = np.zeros((1500, 2000))
    canvas[700:980, 1600:1880] = levels  # far off-centre on a large dark canvas
    return {
        "light on dark": _save(levels, folder / f"{stem}-light.png"),
        "inverted": _save(255 - levels, folder / f"{stem}-inverted.png"),
        "large": _save(big, folder / f"{stem}-large.png"),
        "large inverted": _save(255 - big, folder / f"{stem}-large-inverted.png"),
        "off-centre": _save(canvas, folder / f"{stem}-offcentre.png"),
    }


def grey_background_files(ink: np.ndarray, folder: Path, stem: str) -> dict[str, Path]:
    """The drawing on a mid-grey background, light or dark: the ink comes back only up to
    the file's 8-bit rounding of the rescaled levels."""
    levels = ink * 255
    return {
        "light on grey": _save(128 + levels / 2, folder / f"{stem}-grey-light.png"),
        "dark on grey": _save(160 - levels * 0.55, folder / f"{stem}-grey-dark.png"),
    }


def test_photo_like_files_give_what_the_page_gives_for_the_drawing(drawings, tmp_path):
    chosen = drawings[::4]  # one of each digit
    page = page_preprocess_js(chosen, tmp_path / "node")
    for index, ink in enumerate(chosen):
        files = photo_like_files(ink, tmp_path, f"d{index}")
        if index % 3:  # the multi-megapixel variants of every third drawing suffice
            files = {kind: path for kind, path in files.items() if kind in ("light on dark", "inverted")}
        for kind, path in files.items():
            _, seen = prepare_file(path)
            difference = float(np.abs(seen - page[index]).max())
            assert difference <= EXACT, f"{kind} drawing {index}: differs from the page's by {difference}"


def test_grey_backgrounds_give_back_the_ink_and_the_pages_preprocessing_of_it(drawings, tmp_path):
    chosen = drawings[1::4]
    recovered = []
    for index, ink in enumerate(chosen):
        for kind, path in grey_background_files(ink, tmp_path, f"d{index}").items():
            found = ink_from_grey(load_grey(path))
            error = float(np.abs(found - ink).max())
            assert error <= 0.01, f"{kind} drawing {index}: ink off by {error}"  # ~1/127: 8 bits at half contrast
            recovered.append(found)
    page = page_preprocess_js(recovered, tmp_path / "node")
    ours = np.stack([page_preprocess(found) for found in recovered])
    assert np.abs(ours - page).max() <= EXACT


def test_a_digital_image_passes_the_photo_steps_unchanged(test_set):
    for image in test_set.images[:500]:
        grey = image / 255.0
        assert np.array_equal(ink_from_grey(grey), grey)
        assert np.array_equal(ink_from_grey(1 - grey), 1 - (1 - grey))


def test_rgba_transparency_is_composited_onto_white(tmp_path):
    ink = np.zeros((100, 100), dtype=np.uint8)
    ink[20:80, 45:55] = 255
    rgba = np.zeros((100, 100, 4), dtype=np.uint8)
    rgba[..., 3] = ink  # black strokes drawn with alpha on a transparent canvas
    Image.fromarray(rgba).save(tmp_path / "alpha.png")
    grey = load_grey(tmp_path / "alpha.png")
    assert grey[50, 50] == 0.0 and grey[5, 5] == 1.0
