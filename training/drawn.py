"""Training digits rendered as fast drawings on the pad: what a visitor's quick scribble
becomes after the page's preprocessing (issue 16: a fast eight of a few pointer events is a
polygon that the network read as a 9 or a 0).

Each training digit's centre lines are traced once into pen strokes (training/stroke_trace.py,
the drawn-digits benchmark's tracing) and cached (`load_strokes`). A redraw then, for a
batch of digits at once:
- keeps a few pointer events per digit (`EVENTS`, spread over the strokes by their length,
  evenly along each), which the pad joins by straight segments;
- rotates, slants and stretches them (the distortion ranges of training/augment.py);
- places them as the page's crop-and-fit does: a digit 70–240 px high drawn with a brush of
  8–44 px on the 280-px pad, its ink's longer side scaled to 20 px, its centre of mass
  (of the segments, weighted by length) at the centre of 28×28;
- paints every pixel from its distance to the nearest segment, with the brush's profile
  (assets/js/model/brush.js: full ink in the core, a soft rim) widened by about a pixel
  for the area averaging of the fit; then thickens hair-thin strokes as the page does.
All in batched tensor ops; seeded: the same generator state gives the same pixels."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

from training import augment
from training.stroke_trace import digit_lines, line_length, resample
from training.toolkit.preprocess import DILATION_GAIN, GOAL_STROKE, THINNEST_STROKE, WIDTH_PASSES

STROKES, POINTS = 4, 32  # per digit its 4 longest strokes, each as 32 points evenly along it
EVENTS = (6, 12)  # pointer events per digit (inclusive): quick scribbles
BRUSH = (8.0, 44.0)  # index.html #brush-size range, pad px (diameter)
HEIGHT = (70.0, 240.0)  # digit height on the 280-px pad
PAD_ROOM = 250.0  # the longer side fits the 280-px pad with a margin (benchmarks/drawn_strokes.py)
BOX, SIDE = 20.0, augment.SIDE
CORE = 0.45  # assets/js/model/brush.js profile: full ink within 0.45 of the radius, then a smooth rim
CHUNK = 256  # digits per distance tensor: fewer, larger ops (small ones crawl with 2 busy threads)
CACHE_VERSION = 2  # 2: pen strokes straight on through crossings (training/stroke_trace.py)


def trace(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """uint8 [n, 28, 28] → points float32 [n, STROKES, POINTS, 2] (x, y in pixel
    coordinates) and stroke lengths float32 [n, STROKES] (0: no stroke)."""
    points = np.zeros((len(images), STROKES, POINTS, 2), dtype=np.float32)
    lengths = np.zeros((len(images), STROKES), dtype=np.float32)
    for n, image in enumerate(images):
        for s, line in enumerate(digit_lines(image)[:STROKES]):
            if len(line) > 1:
                points[n, s] = resample(line, POINTS)
                lengths[n, s] = line_length(line)
    return points, lengths


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mnist-visualiser"


def load_strokes(images: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """`trace(images)` as tensors, from the cache when these exact digits were traced before
    (keyed by their checksum); otherwise traced now (about 1.6 ms a digit) and cached."""
    if not len(images):
        return torch.zeros(0, STROKES, POINTS, 2), torch.zeros(0, STROKES)
    digest = hashlib.sha256(np.ascontiguousarray(images, dtype=np.uint8).tobytes()).hexdigest()[:20]
    path = cache_dir() / f"strokes-v{CACHE_VERSION}-{len(images)}-{digest}.npz"
    try:
        with np.load(path) as saved:
            return torch.from_numpy(saved["points"]), torch.from_numpy(saved["lengths"])
    except (OSError, ValueError, KeyError):
        pass  # not cached yet (or a damaged file): trace again
    print(f"tracing the pen strokes of {len(images)} training digits once, cached in {path}", file=sys.stderr)
    points, lengths = trace(images)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp.npz", delete=False) as file:
            np.savez(file, points=points, lengths=lengths)
        os.replace(file.name, path)
    except OSError as error:
        print(f"warning: could not cache the traced strokes in {path}: {error.strerror}", file=sys.stderr)
    return torch.from_numpy(points), torch.from_numpy(lengths)


def events(points: torch.Tensor, lengths: torch.Tensor, counts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The pointer events of digits drawn with `counts` [n] events each: every stroke gets
    max(2, round(count × its share of the length)) of them, evenly along it. Returns
    segments [n, m, 4] (x0, y0, x1, y1: consecutive events of a stroke) and their mask."""
    total = lengths.sum(1, keepdim=True).clamp_min(1e-6)
    per_stroke = torch.where(lengths > 0, (counts[:, None] * lengths / total).round().clamp_min(2), 0)
    most = int(per_stroke.max())
    j = torch.arange(most, dtype=torch.float32)
    along = j / (per_stroke[..., None] - 1).clamp_min(1) * (POINTS - 1)  # [n, strokes, most]
    low = along.floor().clamp(max=POINTS - 2).long()
    weight = (along - low)[..., None]
    index = low[..., None].expand(-1, -1, -1, 2)
    at = torch.gather(points, 2, index) * (1 - weight) + torch.gather(points, 2, index + 1) * weight
    valid = (j[1:] < per_stroke[..., None]).flatten(1)  # segment k joins events k and k + 1
    segments = torch.cat([at[:, :, :-1], at[:, :, 1:]], dim=3).flatten(1, 2)
    # the valid segments first (a stable sort keeps their order), then only as many columns as needed
    order = torch.sort((~valid).to(torch.uint8), dim=1, stable=True).indices
    keep = int(valid.sum(1).max())
    order = order[:, :keep]
    return torch.gather(segments, 1, order[..., None].expand(-1, -1, 4)), torch.gather(valid, 1, order)


def place(segments: torch.Tensor, valid: torch.Tensor, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Segments distorted, drawn at a random size with a random brush and fitted as the page
    does; returns them in 28×28 pixel coordinates and each digit's brush radius there."""
    count = len(segments)
    angle = augment._uniform(count, -augment.ROTATION, augment.ROTATION, generator)
    slant = augment._uniform(count, -augment.SLANT, augment.SLANT, generator)
    aspect = augment._uniform(count, *augment.ASPECT, generator)
    brush = augment._uniform(count, *BRUSH, generator)
    height = augment._uniform(count, *HEIGHT, generator)
    cos, sin = torch.cos(angle), torch.sin(angle)
    matrix = torch.stack([cos * aspect, cos * slant - sin, sin * aspect, sin * slant + cos], 1).view(-1, 1, 2, 2)
    ends = segments.view(count, -1, 2, 2) @ matrix.transpose(-1, -2)  # [n, m, 2 ends, xy]
    far = torch.tensor(float("inf"))
    mask = valid[..., None, None]
    low = torch.where(mask, ends, far).amin((1, 2))
    high = torch.where(mask, ends, -far).amax((1, 2))
    extent = (high - low).clamp_min(1e-3)  # [n, 2]
    pad_scale = torch.minimum(height / extent[:, 1], (PAD_ROOM - brush) / extent.amax(1))  # size on the pad
    fit = BOX / (extent.amax(1) * pad_scale + brush)  # the ink's longer side (brush included) → 20 px
    scale = (pad_scale * fit)[:, None, None, None]
    ends = (ends - low[:, None, None]) * scale
    # centre of mass of the ink ≈ the segments' midpoints weighted by their length (+ a dot's worth each)
    length = (ends[:, :, 1] - ends[:, :, 0]).norm(dim=2) + 1e-3
    weight = torch.where(valid, length, 0)[..., None]
    centre = ((ends[:, :, 0] + ends[:, :, 1]) / 2 * weight).sum(1) / weight.sum(1)
    ends = ends - centre[:, None, None] + SIDE / 2
    return ends.reshape(count, -1, 4), brush * fit / 2


def paint(segments: torch.Tensor, valid: torch.Tensor, radius: torch.Tensor) -> torch.Tensor:
    """[n, m, 4] segments in 28×28 pixel coordinates, brush `radius` [n] → ink [n, 28, 28]
    from each pixel centre's distance to the nearest segment: the brush as a disc holding
    its profile's ink (assets/js/model/brush.js), blurred across its soft rim or at least
    across a pixel (the fit's area averaging), so a thin brush keeps its ink, faint but whole."""
    centres = torch.arange(SIDE, dtype=torch.float32) + 0.5
    py, px = (c.reshape(1, -1, 1) for c in torch.meshgrid(centres, centres, indexing="ij"))
    # unused segments far away, so they are never the nearest (no mask in the inner loop)
    segments = torch.where(valid[..., None], segments, torch.tensor(-1e4))
    x0, y0, x1, y1 = segments[:, None].unbind(-1)  # [n, 1, m] each
    dx, dy = x1 - x0, y1 - y0
    inverse = 1 / (dx * dx + dy * dy).clamp_min(1e-9)
    out = torch.empty(len(segments), SIDE * SIDE)
    used = valid.sum(1)
    order = torch.argsort(used)  # chunks of digits with as many segments: fewer unused columns
    for start in range(0, len(segments), CHUNK):
        part = order[start : start + CHUNK]
        m = int(used[part].max())  # the valid segments come first (`events`)
        ex, ey = px - x0[part, :, :m], py - y0[part, :, :m]  # [c, 784, m]
        t = (ex * dx[part, :, :m]).addcmul_(ey, dy[part, :, :m]).mul_(inverse[part, :, :m]).clamp_(0, 1)
        ex.addcmul_(t, dx[part, :, :m], value=-1)
        ey.addcmul_(t, dy[part, :, :m], value=-1)
        distance = ex.mul_(ex).addcmul_(ey, ey).amin(2).sqrt_()  # [c, 784]
        r = radius[part, None]
        half = (1 + CORE) / 2 * r  # a hard disc with the brush's ink: full core, half of the rim
        blur = (r * (1 - CORE)).clamp_min(1.0)  # the rim's softness, at least the fit's pixel
        # the part of a window `blur` wide around the pixel's distance inside the disc, per unit
        inside = torch.minimum(distance + blur / 2, half) - torch.maximum(distance - blur / 2, -half)
        out[part] = (inside / blur).clamp_(0, 1)
    return out.view(-1, SIDE, SIDE)


def stroke_width(images: torch.Tensor) -> torch.Tensor:
    """[n, 28, 28] → [n]: 2 × ink / perimeter (training/toolkit/preprocess.py `stroke_width`)."""
    padded = torch.nn.functional.pad(images, (1, 1, 1, 1))
    value = padded[:, 1:, 1:]
    perimeter = (value - padded[:, 1:, :-1]).square_().add_((value - padded[:, :-1, 1:]).square_()).sqrt_().sum((1, 2))
    return torch.where(perimeter > 0, 2 * value.sum((1, 2)) / perimeter.clamp_min(1e-12), 0)


def normalise_stroke_width(images: torch.Tensor) -> torch.Tensor:
    """The page's thickening of hair-thin strokes (preprocess.py `normalise_stroke_width`),
    batched: each pass only touches the digits still thinner than the threshold."""
    out = images.float().clone()
    todo = torch.arange(len(out))
    for _ in range(WIDTH_PASSES):
        part = out.index_select(0, todo)
        width = stroke_width(part)
        thin = (width > 0) & (width < THINNEST_STROKE)
        todo, part, width = todo[thin], part[thin], width[thin]
        if not len(todo):
            break
        amount = ((GOAL_STROKE - width) / DILATION_GAIN).clamp(max=1.0).view(-1, 1, 1)
        out.index_copy_(0, todo, part + amount * (augment.neighbourhood(part, thicker=True) - part))
    return out


def draw(points: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Traced digits (`trace`'s arrays, each with at least one stroke) → ink [n, 28, 28]
    (0..1) of them drawn fast on the pad and preprocessed as the page does."""
    if not len(points):  # a small training set may have no pool digit in a redrawn half
        return torch.zeros(0, SIDE, SIDE)
    threads = torch.get_num_threads()
    # one thread: these are many mid-sized ops, which crawl when two threads wait for a busy
    # machine's cores (5× slower measured), and the pixels never depend on the thread count
    torch.set_num_threads(1)
    try:
        return _draw(points, lengths, generator)
    finally:
        torch.set_num_threads(threads)


def _draw(points: torch.Tensor, lengths: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    counts = torch.randint(EVENTS[0], EVENTS[1] + 1, (len(points),), generator=generator).float()
    segments, valid = events(points, lengths, counts)
    placed, radius = place(segments, valid, generator)
    return normalise_stroke_width(paint(placed, valid, radius)).clamp_(0, 1)


def drawable(lengths: torch.Tensor) -> torch.Tensor:
    """Which traced digits have a stroke to draw."""
    return lengths.sum(1) > 0
