"""TensorBoard logging (--tensorboard DIR) through torch.utils.tensorboard: the training
loss per progress window with its learning rate, the test and validation loss and
accuracy per snapshot, and the first layer's weights as images at each snapshot."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

INSTALL_HINT = (
    "--tensorboard needs the tensorboard package: install it with pip install -e '.[tensorboard]' "
    "(or pip install tensorboard), or leave out --tensorboard"
)


def check_available() -> None:
    """Raises ImportError with the one-line install hint when TensorBoard is missing,
    before anything is read or trained."""
    try:
        from torch.utils import tensorboard  # noqa: F401 - imports the tensorboard package
    except ImportError:
        raise ImportError(INSTALL_HINT) from None


class TensorBoardLog:
    def __init__(self, folder: Path):
        from torch.utils.tensorboard import SummaryWriter

        self.writer = SummaryWriter(log_dir=str(folder))

    def training(self, images_seen: int, loss: float, lr: float) -> None:
        self.writer.add_scalar("train/loss", loss, images_seen)
        self.writer.add_scalar("train/learning_rate", lr, images_seen)

    def snapshot(self, entry: dict, model: nn.Module) -> None:
        metrics, step = entry["metrics"], entry["images_seen"]
        for split in ("test", "val"):
            if f"{split}_loss" in metrics:
                self.writer.add_scalar(f"{split}/loss", metrics[f"{split}_loss"], step)
                self.writer.add_scalar(f"{split}/accuracy", metrics[f"{split}_accuracy"], step)
        self.writer.add_images("first_layer/weights", first_layer_images(model), step, dataformats="NCHW")

    def close(self) -> None:
        self.writer.close()


@torch.no_grad()
def first_layer_images(model: nn.Module) -> torch.Tensor:
    """The first layer's weights as [units, 1, h, w] images scaled to [0, 1] together:
    the 28×28 input weights of each dense unit, or each 1-channel convolution kernel."""
    weight = next(layer.weight for layer in model if hasattr(layer, "weight")).detach().float().cpu()
    images = weight.reshape(len(weight), 1, 28, 28) if weight.dim() == 2 else weight[:, :1]
    low, high = images.min(), images.max()
    return (images - low) / (high - low).clamp(min=1e-12)
