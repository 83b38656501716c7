"""The hand-written training step against autograd + torch.optim.SGD (Nesterov)."""

from __future__ import annotations

import pytest
import torch
from torch.nn import functional as F

from training.model import build_mlp
from training.nesterov_step import NesterovStep


@pytest.mark.parametrize("hidden_dims", [(128, 64), (7,), (16, 1, 5)])
def test_matches_autograd_and_torch_sgd_over_several_steps(hidden_dims):
    generator = torch.Generator().manual_seed(0)
    torch.manual_seed(1)
    reference = build_mlp(hidden_dims)
    model = build_mlp(hidden_dims)
    model.load_state_dict(reference.state_dict())
    optimiser = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    step = NesterovStep(model, momentum=0.9)
    for batch_size, lr in [(32, 0.1), (5, 0.07), (1, 0.02), (32, 0.05)]:
        images = torch.randn(batch_size, 784, generator=generator)
        labels = torch.randint(0, 10, (batch_size,), generator=generator)
        for group in optimiser.param_groups:
            group["lr"] = lr
        expected_loss = F.cross_entropy(reference(images), labels)
        optimiser.zero_grad()
        expected_loss.backward()
        optimiser.step()
        loss = step(images, labels, lr)
        torch.testing.assert_close(loss, expected_loss.detach())
        for name, value in model.state_dict().items():
            torch.testing.assert_close(value, reference.state_dict()[name], rtol=1e-5, atol=1e-6, msg=name)
