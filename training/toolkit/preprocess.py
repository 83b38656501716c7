"""From an image file to what the network sees, as the page does it.

1. `load_grey`: any PNG or JPEG → greyscale brightness 0..1 (EXIF rotation applied,
   transparency composited onto white).
2. `ink_from_grey`: the steps a photo needs → ink 0..1 (1 = the digit's stroke):
   - background detection: the image's outer border band, robustly fitted by a plane
     (a + b·x + c·y, so an even lighting gradient across the paper is removed);
   - polarity: the ink is whichever side of the background reaches further — dark ink on
     light paper is inverted, light ink on a dark background is kept;
   - contrast: faint ink (a photo's grey pencil on grey paper) is stretched so its darkest
     strokes become full ink; ink already at ≥ 90% contrast is left as it is;
   - threshold: whatever the border band shows as noise (paper texture, JPEG ringing,
     uneven light) is cut off, scaled by 2 so that the paper becomes exactly zero.
   A digital image (a 28×28 MNIST digit, a drawing on a uniform background) passes these
   steps unchanged: its ink is its brightness (or 1 − brightness).
3. `page_preprocess`: the page's preprocessing, ported exactly from its JavaScript
   (assets/js/model/preprocess.js `preprocess`): crop to the ink (pixels ≥ 0.05), scale the longer
   side to 20 px with an exact box filter (area averaging), place the centre of mass at the
   centre of 28×28 (continuous coordinates, (14, 14)), then thicken strokes thinner than
   MNIST's (`normalise_stroke_width`, specified in preprocess.js's module comment).
4. `normalise`: (ink − mean) / std with the manifest's `model.input`, float32 [784]."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from training.toolkit.errors import ToolError

SIZE = 28
BOX = 20
INK_THRESHOLD = 0.05  # the page's: fainter ink is dust, not part of the bounding box
BORDER_FRACTION = 0.04  # the border band: 4% of the shorter side, at least one pixel
MIN_CONTRAST = 0.1  # below this the image has no ink (a blank or uniform picture)
FULL_CONTRAST = 0.9  # ink at least this far from the background is not stretched
NOISE_FACTOR = 2.0
# assets/js/model/preprocess.js STROKE_WIDTH: thicken below MNIST's 10th percentile of
# stroke width towards its 25th (median 2.36 px), one full dilation adding 1.61 px
THINNEST_STROKE, GOAL_STROKE, DILATION_GAIN, WIDTH_PASSES = 1.75, 2.0, 1.61, 2
MAX_PIXELS = 50_000_000


class ImageProblem(ToolError):
    """A file that cannot be predicted: not an image, empty, no ink."""


def load_grey(path: Path) -> np.ndarray:
    """float64 [h, w] brightness 0..1 of a PNG/JPEG (any mode; alpha over white)."""
    try:
        if path.stat().st_size == 0:
            raise ImageProblem(f"{path}: empty file")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ImageProblem(f"{path}: too large ({image.width}×{image.height} pixels)")
                image = ImageOps.exif_transpose(image)
                if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                    rgba = image.convert("RGBA")
                    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                    image = Image.alpha_composite(white, rgba)
                if image.mode in ("I;16", "I;16B", "I;16L", "I"):
                    array = np.asarray(image, dtype=np.float64)
                    return np.clip(array / (65535.0 if array.max() > 255 else 255.0), 0, 1)
                grey = np.asarray(image.convert("L"), dtype=np.float64) / 255.0
    except ImageProblem:
        raise
    except FileNotFoundError:
        raise ImageProblem(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ImageProblem(f"{path}: is a directory") from None
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageProblem(f"{path}: not a PNG or JPEG image") from error
    except (OSError, ValueError, SyntaxError) as error:  # truncated or damaged image data
        raise ImageProblem(f"{path}: damaged image ({_short(error)})") from error
    if grey.size == 0:
        raise ImageProblem(f"{path}: empty image")
    return grey


def _short(error: Exception) -> str:
    text = str(error).replace(str(Path.cwd()) + "/", "")
    return text if len(text) < 120 else text[:117] + "…"


def _kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value (k ≥ 1): a robust extreme that ignores k − 1 outliers. Found
    through a histogram, then sorting one bin: np.partition crawls on photos whose pixels
    are mostly equal."""
    flat = values.ravel()
    k = min(max(k, 1), flat.size)
    low, high = float(flat.min()), float(flat.max())
    if low == high:
        return high
    counts, edges = np.histogram(flat, bins=4096, range=(low, high))
    above = np.cumsum(counts[::-1])  # values in the top b + 1 bins
    top = int(np.searchsorted(above, k))  # the bin holding the k-th largest, counted from the top
    bin_index = len(counts) - 1 - top
    already = int(above[top - 1]) if top > 0 else 0
    lower, upper = edges[bin_index], edges[bin_index + 1]
    inside = flat[(flat >= lower) & ((flat < upper) if bin_index < len(counts) - 1 else (flat <= upper))]
    return float(np.sort(inside)[::-1][k - already - 1])


def background_plane(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The background under the digit, fitted to the border band (robust to strokes that
    reach the border), and the noise level of the band around that fit."""
    height, width = grey.shape
    band = max(1, round(BORDER_FRACTION * min(height, width)))
    mask = np.zeros(grey.shape, dtype=bool)
    mask[:band, :] = mask[-band:, :] = True
    mask[:, :band] = mask[:, -band:] = True
    ys, xs = np.nonzero(mask)
    values = grey[mask]
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    inliers = np.abs(values - median) <= max(3 * spread, 0.08)
    if spread == 0 or inliers.sum() < 3:
        # a digital image: most of the border is one exact value (no noise, no light gradient)
        return np.full(grey.shape, median), 0.0
    x = xs[inliers] / max(width - 1, 1) - 0.5
    y = ys[inliers] / max(height - 1, 1) - 0.5
    design = np.stack([np.ones_like(x), x, y], axis=1)
    coefficients, *_ = np.linalg.lstsq(design, values[inliers], rcond=None)
    grid_x = np.arange(width) / max(width - 1, 1) - 0.5
    grid_y = np.arange(height) / max(height - 1, 1) - 0.5
    plane = coefficients[0] + coefficients[1] * grid_x[None, :] + coefficients[2] * grid_y[:, None]
    residual = np.abs(values[inliers] - design @ coefficients)
    return plane, float(np.quantile(residual, 0.99))


def ink_from_grey(grey: np.ndarray, source: Path | str = "image") -> np.ndarray:
    """Ink 0..1 (float64, same shape) from brightness 0..1; see the module's docstring."""
    plane, noise = background_plane(grey)
    difference = grey - plane
    k = max(1, difference.size // 2000)  # ignore the most extreme 0.05% (hot pixels, dust)
    darkest, brightest = _kth_largest(-difference, k), _kth_largest(difference, k)
    ink = -difference if darkest > brightest else difference
    contrast = max(darkest, brightest)
    if contrast < MIN_CONTRAST:
        raise ImageProblem(f"{source}: no ink found (the image is blank or has too little contrast)")
    if contrast < FULL_CONTRAST:
        ink = ink / contrast
    threshold = min(0.5, NOISE_FACTOR * noise / contrast)
    if threshold > 0:
        ink = (ink - threshold) / (1 - threshold)
    return np.clip(ink, 0.0, 1.0)


def _axis_weights(first: int, last: int, scale: float, offset: float) -> np.ndarray:
    """[last - first + 1, 28]: how much of each target pixel every source pixel covers
    (assets/js/model/preprocess.js `axisWeights`)."""
    start = (np.arange(first, last + 1) - first) * scale + offset
    end = start + scale
    targets = np.arange(SIZE)
    overlap = np.minimum(end[:, None], targets[None, :] + 1) - np.maximum(start[:, None], targets[None, :])
    return np.clip(overlap, 0.0, None)


def ink_stats(ink: np.ndarray) -> tuple[int, int, int, int, float, float] | None:
    """Bounding box of the ink (x0, x1, y0, y1) and its centre of mass (continuous
    coordinates), or None when blank (assets/js/model/preprocess.js `inkStats`)."""
    marked = ink >= INK_THRESHOLD
    rows, columns = np.flatnonzero(marked.any(axis=1)), np.flatnonzero(marked.any(axis=0))
    if rows.size == 0:
        return None
    x0, x1, y0, y1 = int(columns[0]), int(columns[-1]), int(rows[0]), int(rows[-1])
    crop = ink[y0 : y1 + 1, x0 : x1 + 1].astype(np.float64)
    mass = crop.sum()
    centre_x = float((crop.sum(axis=0) * (np.arange(x0, x1 + 1) + 0.5)).sum() / mass)
    centre_y = float((crop.sum(axis=1) * (np.arange(y0, y1 + 1) + 0.5)).sum() / mass)
    return x0, x1, y0, y1, centre_x, centre_y


def page_preprocess(ink: np.ndarray) -> np.ndarray | None:
    """The page's `preprocess`: float32 [28, 28] in 0..1, or None for blank ink."""
    stats = ink_stats(ink)
    if stats is None:
        return None
    x0, x1, y0, y1, centre_x, centre_y = stats
    scale = BOX / max(x1 - x0 + 1, y1 - y0 + 1)
    offset_x = SIZE / 2 - (centre_x - x0) * scale
    offset_y = SIZE / 2 - (centre_y - y0) * scale
    columns = _axis_weights(x0, x1, scale, offset_x)
    rows = _axis_weights(y0, y1, scale, offset_y)
    crop = ink[y0 : y1 + 1, x0 : x1 + 1].astype(np.float64)
    out = rows.T @ crop @ columns
    return normalise_stroke_width(np.minimum(out, 1.0).astype(np.float32))


def stroke_width(pixels: np.ndarray) -> float:
    """2 × ink / perimeter (assets/js/model/preprocess.js `strokeWidth`); 0 when blank."""
    padded = np.pad(pixels.astype(np.float64), 1)
    value = padded[1:, 1:]
    perimeter = np.sqrt((value - padded[1:, :-1]) ** 2 + (value - padded[:-1, 1:]) ** 2).sum()
    return float(2 * value.sum() / perimeter) if perimeter > 0 else 0.0


def normalise_stroke_width(pixels: np.ndarray) -> np.ndarray:
    """Strokes thinner than MNIST's thickened (the page's `normaliseStrokeWidth`), float32."""
    out = pixels.astype(np.float32)
    for _ in range(WIDTH_PASSES):
        width = stroke_width(out)
        if width == 0 or width >= THINNEST_STROKE:
            break
        amount = np.float32(min(1.0, (GOAL_STROKE - width) / DILATION_GAIN))
        padded = np.pad(out, 1)
        most = np.maximum.reduce(
            [out, padded[:-2, 1:-1], padded[2:, 1:-1], padded[1:-1, :-2], padded[1:-1, 2:]]
        )  # ink is never negative, so the zero border is no neighbour's maximum
        out = out + amount * (most - out)
    return out


def normalise(pixels: np.ndarray, mean: float, std: float) -> np.ndarray:
    """Ink 0..1 → the network's input, float32 [..., 784] (the page's `normalise`)."""
    flat = pixels.reshape(*pixels.shape[:-2], SIZE * SIZE).astype(np.float64)
    return ((flat - mean) / std).astype(np.float32)


def prepare_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(brightness as loaded, what the network sees 28×28 in 0..1) for one image file."""
    grey = load_grey(path)
    seen = page_preprocess(ink_from_grey(grey, path))
    if seen is None:
        raise ImageProblem(f"{path}: no ink found (the image is blank or has too little contrast)")
    return grey, seen
