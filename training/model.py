"""The MLP (784 → hidden… → 10, ReLU) and the device it runs on."""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 784
NUM_CLASSES = 10


class MLP(nn.Module):
    """Linear layers in `layers` so the state dict names match the export (`layers.{i}.weight`)."""

    def __init__(self, hidden_dims: tuple[int, ...]):
        super().__init__()
        self.layer_sizes = [INPUT_SIZE, *hidden_dims, NUM_CLASSES]
        self.layers = nn.ModuleList(
            nn.Linear(n_in, n_out) for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:])
        )

    def last_hidden(self, x: torch.Tensor) -> torch.Tensor:
        for layer in self.layers[:-1]:
            x = torch.relu(layer(x))
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers[-1](self.last_hidden(x))

    def parameter_count(self) -> int:
        return sum(p.numel() for p in self.parameters())


@torch.no_grad()
def copy_rounded_to_f16(source: MLP, target: MLP) -> MLP:
    """Fills `target` (a CPU float32 MLP of the same shape) with exactly the float16 values
    the export stores, so metrics and latent coordinates describe the network the page loads."""
    for value, destination in zip(source.parameters(), target.parameters()):
        destination.copy_(value.detach().to("cpu", torch.float16))
    return target.eval()


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
