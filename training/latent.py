"""The latent map: the probe set's last-hidden activations projected to 2D by PCA,
rotated/reflected onto the previous snapshot's map (orthogonal Procrustes) so the page
can animate between snapshots without flips, and scaled to fit about [-1, 1].

Everything is computed from float16-rounded values so that the page, which only has
the float16 export, reproduces `coords = (h - mean) @ components.T` exactly."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from training.layers import NUM_CLASSES

PROBE_PER_CLASS = 100


@dataclass(frozen=True)
class Projection:
    mean: np.ndarray  # float16 [H]
    components: np.ndarray  # float16 [2, H]
    coords: np.ndarray  # float16 [probe, 2]


def choose_probe(test_labels: np.ndarray, seed: int) -> np.ndarray:
    """Sorted-by-class test indices, PROBE_PER_CLASS per class, chosen by the seed."""
    rng = np.random.default_rng(seed)
    picks = [
        np.sort(rng.choice(np.flatnonzero(test_labels == digit), PROBE_PER_CLASS, replace=False))
        for digit in range(NUM_CLASSES)
    ]
    return np.concatenate(picks).astype(np.int64)


def project(hidden: torch.Tensor, previous: np.ndarray | None) -> Projection:
    """`hidden` = the probe's latent-layer activations [probe, H] from the f16-rounded model;
    `previous` = the previous snapshot's coords (None for the first snapshot)."""
    h = hidden.double().numpy()
    mean16 = h.mean(axis=0).astype(np.float16)
    centred = h - mean16.astype(np.float64)
    directions = _top2_directions(centred)  # [H, 2]
    raw = centred @ directions
    if previous is None:
        rotation = np.diag(_sign_convention(raw))
    else:
        rotation = _procrustes(raw, previous.astype(np.float64))
    aligned = raw @ rotation
    extent = np.abs(aligned).max()
    scale = 1.0 / extent if extent > 0 else 1.0
    components16 = np.ascontiguousarray((scale * (directions @ rotation)).T, dtype=np.float16)
    coords = centred @ components16.astype(np.float64).T
    return Projection(mean16, components16, coords.astype(np.float16))


def _top2_directions(centred: np.ndarray) -> np.ndarray:
    """The two leading principal directions as columns: eigenvectors of the H×H scatter
    matrix (far cheaper than an SVD of the probe × H activations), or, when the layer is
    wider than the probe set (the flattened maps of a conv → conv → linear network),
    of the probe × probe Gram matrix mapped back. With a single unit the second column is zero."""
    count, width = centred.shape
    directions = np.zeros((width, 2))
    if width <= count:
        _, vectors = np.linalg.eigh(centred.T @ centred)  # ascending eigenvalues
        used = min(2, vectors.shape[1])
        directions[:, :used] = vectors[:, ::-1][:, :used]
        return directions
    values, vectors = np.linalg.eigh(centred @ centred.T)
    for column in range(min(2, count)):
        direction = centred.T @ vectors[:, -1 - column]
        norm = np.linalg.norm(direction)
        if values[-1 - column] > 0 and norm > 0:
            directions[:, column] = direction / norm
    return directions


def _sign_convention(raw: np.ndarray) -> np.ndarray:
    """Flip each axis so its longer tail points to +: a reproducible start for the map."""
    skew = (raw**3).sum(axis=0)
    return np.where(skew < 0, -1.0, 1.0)


def _procrustes(raw: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """The orthogonal 2×2 matrix R (reflections allowed) minimising ‖raw R − previous‖."""
    u, _, vt = np.linalg.svd(raw.T @ previous)
    return u @ vt
