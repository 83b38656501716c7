"""The centre lines of an MNIST digit as pen strokes: shared by the drawn-digits benchmark
(benchmarks/drawn_strokes.py replays them on the pad) and the training augmentation that
renders training digits as drawn strokes (training/drawn.py).

The digit is skeletonised at 4× resolution (so the centre line is smooth) and the skeleton
is traced into lines between its junctions and ends. Then the lines are joined as a pen
writes them: spurs (a free end shorter than a pixel of the original digit) are dropped;
junctions a pixel or so apart are one crossing (a skeleton often splits an X into two Ys
joined by a short bridge); and at a crossing the pen goes straight on, so each line is
paired with the one leaving most nearly opposite to where it came in. An 8 becomes one
stroke that crosses itself at its waist, as people write it — traced loop by loop
instead, a fast eight of a few pointer events lost a loop to a 3-event "line" or became a 0."""

from __future__ import annotations

import itertools

import numpy as np
from scipy import ndimage
from skimage.morphology import skeletonize

UPSAMPLE = 4
SPUR = 1.0 * UPSAMPLE  # a free end shorter than a pixel of the digit: the skeleton's, not the pen's
BRIDGE = 1.5 * UPSAMPLE  # junctions this close are one crossing
HEADING = 1.5 * UPSAMPLE  # how far along a line its direction at a crossing is read
MAX_COMBINATIONS = 512  # ways to pair the arms of all crossings tried (a digit has a few crossings)


def _neighbours(pixel: tuple[int, int], pixels: set) -> list[tuple[int, int]]:
    """8-neighbours on the skeleton, without a diagonal step that a shared 4-neighbour
    already connects (those make little triangles that are not junctions)."""
    r, c = pixel
    straight = [(r + dr, c + dc) for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)) if (r + dr, c + dc) in pixels]
    out = list(straight)
    for dr, dc in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
        q = (r + dr, c + dc)
        if q in pixels and (r + dr, c) not in pixels and (r, c + dc) not in pixels:
            out.append(q)
    return out


def _trace(links: dict) -> list[list[tuple[int, int]]]:
    """The skeleton as paths between nodes (junctions and ends), then any closed loops."""
    nodes = {p for p, n in links.items() if len(n) != 2}
    used: set[frozenset] = set()
    paths = []

    def walk(start, first):
        path, previous, current = [start, first], start, first
        used.add(frozenset((start, first)))
        while current not in nodes and current != start:
            step = [q for q in links[current] if q != previous and frozenset((current, q)) not in used]
            if not step:
                break
            used.add(frozenset((current, step[0])))
            previous, current = current, step[0]
            path.append(current)
        return path

    for start in sorted(nodes) + sorted(set(links) - nodes):  # loops (a 0, an o) have no node
        for first in links[start]:
            if frozenset((start, first)) not in used:
                paths.append(walk(start, first))
    return paths


def _length(path: np.ndarray) -> float:
    return float(np.hypot(*np.diff(path, axis=0).T).sum()) if len(path) > 1 else 0.0


class _Crossings:
    """Junction pixels grouped into crossings (union-find over short bridges)."""

    def __init__(self, junctions: set):
        self.parent = {p: p for p in junctions}

    def find(self, p):
        while self.parent[p] != p:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        return p

    def join(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def _heading(path: np.ndarray, end: int, centre: np.ndarray) -> np.ndarray:
    """The unit direction in which the line leaves the crossing at its end `end` (0 or 1)."""
    line = path if end == 0 else path[::-1]
    steps = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(line, axis=0).T))])
    reach = min(HEADING, steps[-1] / 2)
    at = line[min(np.searchsorted(steps, reach), len(line) - 1)]
    direction = at - centre
    norm = np.hypot(*direction)
    return direction / norm if norm > 0 else direction


def _pen_strokes(raw: list[list[tuple[int, int]]], links: dict) -> list[np.ndarray]:
    """Lines joined into pen strokes: straight on through every crossing."""
    junctions = {p for p, n in links.items() if len(n) >= 3}
    crossings = _Crossings(junctions)
    lines = []  # (points as (row, col) floats, node at each end or None)
    for path in raw:
        points = np.array(path, dtype=np.float64)
        ends = [path[0] if path[0] in junctions else None, path[-1] if path[-1] in junctions else None]
        if ends[0] and ends[1] and _length(points) <= BRIDGE and path[0] != path[-1]:
            crossings.join(ends[0], ends[1])  # a bridge inside a crossing, not a line
            continue
        lines.append((points, ends))
    if len(lines) > 1:
        kept = [(p, e) for p, e in lines if not (None in e and e != [None, None] and _length(p) < SPUR)]
        lines = kept or lines
    arms: dict = {}  # crossing → [(line index, end)]
    for i, (_, ends) in enumerate(lines):
        for end, node in enumerate(ends):
            if node is not None:
                arms.setdefault(crossings.find(node), []).append((i, end))
    choices = []  # per crossing: every way to pair its arms, with how straight it goes on
    for crossing, here in arms.items():
        members = [p for p in junctions if crossings.find(p) == crossing]
        centre = np.mean(np.array(members, dtype=np.float64), axis=0)
        heads = {arm: _heading(lines[arm[0]][0], arm[1], centre) for arm in here}
        choices.append([(pairs, sum(heads[a] @ heads[b] for a, b in pairs)) for pairs in _pairings(here)])
    best = None
    # The pen lifts as seldom as it can (a 0's little tail is its overshoot, not a stroke of
    # its own), then goes as straight on as it can (an 8 crosses at its waist, not a 0's outline).
    for combination in itertools.islice(itertools.product(*choices), MAX_COMBINATIONS):
        partner = {}
        for pairs, _ in combination:
            for a, b in pairs:
                partner[a], partner[b] = b, a
        strokes = _follow(lines, partner)
        score = (len(strokes), sum(bend for _, bend in combination))
        if best is None or score < best[0]:
            best = (score, strokes)
    return sorted(best[1], key=_length, reverse=True)


def _pairings(arms: list) -> list[list[tuple]]:
    """Every way to pair up the arms of a crossing (with an odd count, one stays alone)."""
    if len(arms) < 2:
        return [[]]
    first, rest = arms[0], arms[1:]
    ways = [[(first, other), *more] for k, other in enumerate(rest) for more in _pairings(rest[:k] + rest[k + 1 :])]
    if len(arms) % 2:
        ways += _pairings(rest)  # the first arm is the one left alone
    return ways


def _follow(lines: list, partner: dict) -> list[np.ndarray]:
    """The pen strokes: each line continues into its partner at a crossing."""
    used = [False] * len(lines)

    def follow(i, entry):
        stroke = []
        while not used[i]:
            used[i] = True
            stroke.append(lines[i][0] if entry == 0 else lines[i][0][::-1])
            after = partner.get((i, 1 - entry))
            if after is None:
                break
            i, entry = after
        return np.vstack(stroke)

    strokes = []
    # strokes with an end first (a free end or an arm left alone), then the closed ones
    for i in range(len(lines)):
        for end in (0, 1):
            if not used[i] and (i, end) not in partner:
                strokes.append(follow(i, end))
    strokes += [follow(i, 0) for i in range(len(lines)) if not used[i]]
    return strokes


def digit_lines(image: np.ndarray) -> list[np.ndarray]:
    """The digit's pen strokes as polylines [(x, y), …] in its 28×28 pixel coordinates, longest first."""
    large = ndimage.zoom(image.astype(np.float64) / 255.0, UPSAMPLE, order=1)
    skeleton = skeletonize(large > 0.5)
    pixels = {(int(r), int(c)) for r, c in zip(*np.nonzero(skeleton))}
    if not pixels:
        return []
    links = {p: _neighbours(p, pixels) for p in pixels}
    return [(stroke[:, ::-1] + 0.5) / UPSAMPLE for stroke in _pen_strokes(_trace(links), links)]


def line_length(line: np.ndarray) -> float:
    return _length(line)


def resample(line: np.ndarray, count: int) -> np.ndarray:
    """`count` points evenly spaced along the polyline, its ends included."""
    steps = np.hypot(*np.diff(line, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] == 0:
        return line[:1]
    at = np.linspace(0.0, along[-1], count)
    return np.stack([np.interp(at, along, line[:, 0]), np.interp(at, along, line[:, 1])], axis=1)
