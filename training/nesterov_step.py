"""One optimiser step of the MLP, written out by hand: forward, cross-entropy, backward
and a Nesterov-momentum SGD update (torch.optim.SGD's rule) in about twenty tensor ops
into preallocated gradient buffers.

Why not autograd + torch.optim: at batch 128 the matmuls take well under a millisecond,
so per-op overhead matters; building the autograd graph and torch.optim's Python
bookkeeping made the step 10–20% slower in interleaved timings on 2 cores.
tests/training/test_nesterov_step.py checks every step against autograd + torch.optim."""

from __future__ import annotations

import torch
from torch import nn


class NesterovStep:
    """For the MLP of training/model.py: Linear, ReLU, Linear, …, Linear."""

    def __init__(self, model: nn.Sequential, momentum: float):
        linears = list(model)[::2]
        pattern_ok = all(type(m) is nn.Linear for m in linears) and all(type(m) is nn.ReLU for m in list(model)[1::2])
        if not pattern_ok or len(model) % 2 == 0:
            raise ValueError("NesterovStep trains Linear, ReLU, …, Linear networks (training/model.py's build_mlp)")
        self.weights = [layer.weight for layer in linears]
        self.biases = [layer.bias for layer in linears]
        self.params = [p for pair in zip(self.weights, self.biases) for p in pair]
        self.momentum = momentum
        self.velocity = [torch.zeros_like(p) for p in self.params]
        self.grads = [torch.empty_like(p) for p in self.params]
        self._minus_ones = torch.full((1, 1), -1.0, device=self.weights[0].device)

    @torch.no_grad()
    def __call__(self, images: torch.Tensor, labels: torch.Tensor, lr: float) -> torch.Tensor:
        """Updates the model in place; returns the batch's mean loss (a 0-d tensor, unsynced)."""
        activations = [images]
        last = len(self.weights) - 1
        for index, (weight, bias) in enumerate(zip(self.weights, self.biases)):
            output = torch.addmm(bias, activations[-1], weight.t())
            activations.append(output.clamp_(min=0) if index < last else output)
        log_probabilities = torch.log_softmax(activations.pop(), dim=1)
        loss = torch.nn.functional.nll_loss(log_probabilities, labels)

        # d(mean cross-entropy)/d(logits) = (softmax - one_hot) / batch
        grad = log_probabilities.exp_()
        grad.scatter_add_(1, labels[:, None], self._minus_ones.expand(len(labels), 1))
        grad.div_(len(labels))
        for index in range(last, -1, -1):
            inputs = activations[index]
            torch.mm(grad.t(), inputs, out=self.grads[2 * index])
            torch.sum(grad, dim=0, out=self.grads[2 * index + 1])
            if index:  # the pixels need no gradient
                grad = torch.ops.aten.threshold_backward(grad.mm(self.weights[index]), inputs, 0)

        torch._foreach_mul_(self.velocity, self.momentum)
        torch._foreach_add_(self.velocity, self.grads)
        torch._foreach_add_(self.grads, self.velocity, alpha=self.momentum)
        torch._foreach_add_(self.params, self.grads, alpha=-lr)
        return loss

    def state_dict(self) -> dict:
        """The optimiser state a checkpoint keeps: the momentum buffers."""
        return {"momentum": self.momentum, "velocity": [v.detach().cpu().clone() for v in self.velocity]}

    def load_state_dict(self, state: dict) -> None:
        with torch.no_grad():
            for velocity, saved in zip(self.velocity, state["velocity"], strict=True):
                velocity.copy_(saved)
