"""The two networks mlp_train.py trains, both plain torch.nn.Sequential (so they are
recorded exactly like anyone's model, training/recording.py), and the device they run on.

The CNN is chosen for what it shows as much as for its accuracy (README, "Training"):
two 5×5 convolutions of 8 and 16 maps, each followed by 2×2 max-pooling, then the
dense layers of --hidden-dims (default one of 64) and the 10 outputs."""

from __future__ import annotations

import torch
from torch import nn

from training.layers import INPUT_SIZE, NUM_CLASSES

CNN_CONVOLUTIONS = ((8, 5), (16, 5))  # (feature maps, kernel size) per convolution layer
CNN_POOL = 2


def build_mlp(hidden_dims: tuple[int, ...]) -> nn.Sequential:
    """784 → hidden… → 10, ReLU between the linear layers."""
    sizes = [INPUT_SIZE, *hidden_dims, NUM_CLASSES]
    modules: list[nn.Module] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        modules += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*modules[:-1])


def build_cnn(hidden_dims: tuple[int, ...]) -> nn.Sequential:
    """conv 5×5 (1→8, same padding) → ReLU → max-pool 2 → conv 5×5 (8→16) → ReLU →
    max-pool 2 → flatten (16×7×7 = 784) → hidden dense layers (ReLU) → 10."""
    modules: list[nn.Module] = []
    channels, side = 1, 28
    for maps, kernel in CNN_CONVOLUTIONS:
        modules += [nn.Conv2d(channels, maps, kernel, padding=kernel // 2), nn.ReLU(), nn.MaxPool2d(CNN_POOL)]
        channels, side = maps, side // CNN_POOL
    modules.append(nn.Flatten())
    sizes = [channels * side * side, *hidden_dims, NUM_CLASSES]
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        modules += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*modules[:-1])


def build_model(architecture: str, hidden_dims: tuple[int, ...]) -> nn.Sequential:
    return build_cnn(hidden_dims) if architecture == "cnn" else build_mlp(hidden_dims)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def resolve_device(name: str) -> torch.device:
    """auto = cuda, then mps, then cpu; an explicit device must exist here."""
    cuda = torch.cuda.is_available()
    mps = torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if name == "cuda" and not cuda:
        raise ValueError("--device cuda: no CUDA device is available on this machine")
    if name == "mps" and not mps:
        raise ValueError("--device mps: no Apple MPS device is available on this machine")
    return torch.device(name)
