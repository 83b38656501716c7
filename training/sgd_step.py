"""One optimiser step of any network (the CNN): autograd and torch.optim.SGD with
Nesterov momentum — the same update rule as the MLP's hand-written step
(training/nesterov_step.py); convolutions and pooling dominate the time here, so the
per-op overhead the hand-written step saves would not show.

Convolutional models train in channels-last memory layout (the caller converts the
model, `model.to(memory_format=torch.channels_last)`, and the step its batches): on
this CPU PyTorch's NCHW max-pooling took 28% of a CNN step, and channels-last made the
whole step 39% faster on 2 threads (60% on one)."""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class SgdStep:
    def __init__(self, model: nn.Module, momentum: float, input_shape: tuple[int, ...], channels_last: bool = False):
        self.model = model
        self.input_shape = input_shape  # the shape the first layer takes, e.g. (1, 28, 28)
        self.memory_format = torch.channels_last if channels_last else torch.contiguous_format
        self.optimiser = torch.optim.SGD(model.parameters(), lr=0.0, momentum=momentum, nesterov=True)

    def __call__(self, images: torch.Tensor, labels: torch.Tensor, lr: float) -> torch.Tensor:
        """Updates the model in place; returns the batch's mean loss (a 0-d tensor, unsynced)."""
        for group in self.optimiser.param_groups:
            group["lr"] = lr
        self.optimiser.zero_grad(set_to_none=True)
        images = images.reshape(len(images), *self.input_shape).contiguous(memory_format=self.memory_format)
        loss = F.cross_entropy(self.model(images), labels)
        loss.backward()
        self.optimiser.step()
        return loss.detach()

    def state_dict(self) -> dict:
        """The optimiser state a checkpoint keeps (torch.optim's, momentum buffers included)."""
        return self.optimiser.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.optimiser.load_state_dict(state)
