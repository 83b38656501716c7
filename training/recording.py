"""Record the training timeline of any torch.nn.Sequential digit classifier from your own
training loop, as an export the visualiser opens (docs/export-format.md, version 2).

    from training.recording import TimelineRecorder

    recorder = TimelineRecorder(model, "exports/my_model.json", data_dir="data/mnist")
    images_seen = 0
    for epoch in range(3):
        for images, labels in loader:
            ...                                   # forward, loss, backward, optimiser step
            images_seen += len(images)
            recorder.step(images_seen, loss)      # snapshots itself when one is due
    recorder.close()                              # writes the export atomically

Creating the recorder checks the model (one `UnsupportedModelError` naming the layer
and what is supported; nothing is read or written then), loads the MNIST test set and
records snapshot 0, the model as it is now (normally untrained). `step` takes a
snapshot whenever the images seen reach the next point of the timeline (50, 120, …,
40,000 images, then 1×, 2×, … the training set); `snapshot()` takes one whenever you
like. Every snapshot scores the float16-rounded weights on the 10,000 test digits and
places the latent-map probe digits; only these small results stay in memory. `close()`
adds a last snapshot where training ended and publishes the export by one atomic rename
of its manifest (training/export.py), so a failure or a kill never leaves a half-written
export and never harms the previous one. Used as a context manager, a loop that raises writes nothing.
A snapshot whose weights or activations are not finite (training diverged) raises
DivergedError.

training/mlp_train.py records its MLP and CNN through this same class."""

from __future__ import annotations

import json
import math
import operator
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training import export, latent
from training import validation as validation_split
from training.layers import ModelDescription, UnsupportedModelError, describe, forward
from training.manifest import add_gallery, build_manifest, probe_file
from training.metrics import evaluate, evaluate_validation
from training.mnist_data import MnistTest, load_mnist_test
from training.normalisation import PIXEL_MEAN, PIXEL_STD, normalise
from training.schedule import next_target, snapshot_at

__all__ = ["DivergedError", "TimelineRecorder", "UnsupportedModelError"]

LOSS_HISTORY_POINTS = 3000
_NO_LOSSES = (torch.zeros(0, dtype=torch.int64), torch.zeros(0, dtype=torch.int64), torch.zeros(0))
_RESERVED_TRAINING_KEYS = {"dataset", "versions", "duration_seconds", "completed", "stopped_early_note"}


class DivergedError(ValueError):
    """Training diverged: the loss, the weights or the activations are no longer finite
    numbers (almost always a learning rate that is too high). Nothing is written."""

    def __init__(self, what: str, images_seen: int, step: int):
        super().__init__(f"{what} at step {step:,} ({images_seen:,} images seen)")
        self.what, self.images_seen, self.step = what, images_seen, step


class TimelineRecorder:
    """Records `model`'s training timeline into `export_path` (a `.json` manifest; the
    snapshots go to the folder named after its stem).

    model: a torch.nn.Sequential of Conv2d, MaxPool2d, Flatten, Linear, ReLU, Tanh,
        Sigmoid, GELU (Dropout, Identity and a final LogSoftmax are skipped), taking one
        28×28 digit — as [n, 1, 28, 28], or [n, 784] when it starts with a Linear — and
        giving 10 logits. It may live on any device; snapshots copy it to the CPU.
    data_dir: the MNIST files (the test set is downloaded there when missing).
    mean, std: the normalisation your loop feeds the model, (pixel / 255 - mean) / std:
        0.1307 and 0.3081 as torchvision's usual Normalize; 0 and 1 for plain ToTensor().
    train_size: images in one pass over your training set (names `ep1`, `ep2`, …).
    seed: chooses the latent map's 1,000 probe digits.
    architecture: a name for people ("sequential" unless you give one).
    training: anything JSON-serialisable about your run (optimizer, lr, config …),
        stored in the manifest's `training` object.
    validation: (uint8 images [n, 28, 28], labels [n]) held out of your training set:
        every snapshot then also scores them (`val_loss`, `val_accuracy`,
        `val_per_class_accuracy`) and the manifest marks the snapshot with the lowest
        validation loss (`validation.best_index`).
    """

    def __init__(
        self,
        model: nn.Module,
        export_path: str | Path,
        *,
        data_dir: str | Path = "data/mnist",
        mean: float = PIXEL_MEAN,
        std: float = PIXEL_STD,
        train_size: int = 60_000,
        seed: int = 0,
        architecture: str = "sequential",
        training: dict | None = None,
        mnist: MnistTest | None = None,  # an already loaded test set (mlp_train.py passes its own)
        validation: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.description: ModelDescription = describe(model)  # first: a refused model touches nothing
        self.export_path = Path(export_path)
        if self.export_path.suffix != ".json":
            raise ValueError(f"export_path must name a .json manifest, got {str(export_path)!r}")
        if not (math.isfinite(std) and std > 0 and math.isfinite(mean)):
            raise ValueError(f"std must be a positive number and mean a number, got mean={mean}, std={std}")
        if train_size < 1:
            raise ValueError(f"train_size must be at least 1, got {train_size}")
        self.training_info = dict(training or {})
        clash = _RESERVED_TRAINING_KEYS & self.training_info.keys()
        if clash:
            raise ValueError(f"training= may not set {', '.join(sorted(clash))}: the recorder writes them")
        json.dumps(self.training_info)  # a TypeError now rather than at the end of training
        self.model = model
        self.mean, self.std = float(mean), float(std)
        self.train_size = train_size
        self.architecture = architecture
        self.stem = self.export_path.stem

        test = mnist if mnist is not None else load_mnist_test(Path(data_dir))
        self._test_images, self._test_labels = test.test_images, test.test_labels
        self._images = normalise(test.test_images, mean=self.mean, std=self.std)
        self._labels = torch.from_numpy(test.test_labels.astype(np.int64))
        self.probe_indices = latent.choose_probe(test.test_labels, seed)
        self._probe_images = self._images[self.probe_indices]
        self._validation = None
        if validation is not None:
            val_images, val_labels = validation
            labels = torch.from_numpy(np.asarray(val_labels).astype(np.int64))
            self._validation = (normalise(np.asarray(val_images), mean=self.mean, std=self.std), labels)

        self._started = time.perf_counter()
        self.entries: list[dict] = []
        self.files: dict[str, bytes] = {}
        self.manifest: dict | None = None
        self._previous_coords: np.ndarray | None = None
        self._images_seen = 0
        self._steps = 0
        self._losses: list[tuple[int, int, float | torch.Tensor]] = []  # (images seen, batch, mean loss)
        self._packed = _NO_LOSSES
        self._closed = False
        self.snapshot()

    # --- the training loop's calls -------------------------------------------------

    def step(self, images_seen: int, loss: float | torch.Tensor | None = None) -> bool:
        """Call after every optimiser step with the training images seen so far (all
        epochs together) and the step's mean loss (a float or a 0-d tensor; tensors are
        read only at close, so a GPU loop is not synchronised). Takes a snapshot when
        `images_seen` reaches the next timeline target; returns whether it did."""
        self._check_open()
        images_seen = _count(images_seen)
        if images_seen <= self._images_seen:
            raise ValueError(f"images_seen must grow with every step: got {images_seen!r} after {self._images_seen}")
        batch = images_seen - self._images_seen
        self._images_seen = images_seen
        self._steps += 1
        if loss is not None:
            self._losses.append((images_seen, batch, loss.detach() if isinstance(loss, torch.Tensor) else float(loss)))
        if images_seen >= self._next_target:
            self.snapshot()
            return True
        return False

    def due(self, images_seen: int) -> bool:
        """Whether a snapshot at `images_seen` would be on the timeline's schedule."""
        return images_seen >= self._next_target

    def snapshot(self, images_seen: int | None = None) -> None:
        """Takes a snapshot now, at `images_seen` (default: the count given to the last
        `step`); it must be more than the previous snapshot's."""
        self._check_open()
        images_seen = self._images_seen if images_seen is None else _count(images_seen)
        if self.entries and images_seen <= self.entries[-1]["images_seen"]:
            raise ValueError(
                f"a snapshot at {images_seen} images comes after the one at {self.entries[-1]['images_seen']}: "
                "images_seen must grow"
            )
        self._images_seen = max(self._images_seen, images_seen)
        self._record(images_seen, self._steps)

    def close(self, stopped_early_note: str | None = None) -> dict:
        """Adds a snapshot where training ended (if that is not one already), writes the
        export atomically and returns its manifest. `stopped_early_note`, when given,
        marks the run incomplete and says why (for people)."""
        self._check_open()
        if self._images_seen > self.entries[-1]["images_seen"]:
            self.snapshot()
        probe, probe_payload = probe_file(self.probe_indices, self._test_images, self._test_labels, self.stem)
        gallery, gallery_payload = add_gallery(self.entries, self._test_images, self._test_labels, self.stem)
        self.files[export.file_name(probe)] = probe_payload
        self.files[export.file_name(gallery)] = gallery_payload
        manifest = build_manifest(
            architecture=self.architecture,
            description=self.description,
            mean=self.mean,
            std=self.std,
            training={
                **self.training_info,
                "duration_seconds": round(time.perf_counter() - self._started, 2),
                "dataset": {"name": "MNIST", "train_size": self.train_size, "test_size": len(self._labels)},
                "completed": stopped_early_note is None,
                "stopped_early_note": stopped_early_note,
            },
            timeline=self.entries,
            loss_history=self._loss_history(),
            probe=probe,
            gallery=gallery,
            validation=self._validation_summary(),
        )
        self._closed = True
        export.write_export(self.export_path, manifest, self.files)
        self.manifest = manifest
        return manifest

    def state_dict(self) -> dict:
        """The timeline so far, for a checkpoint (training/checkpoint.py): tensors, bytes
        and plain Python values only, so `torch.load(weights_only=True)` reads it."""
        self._check_open()
        seen, batches, losses = self._packed_losses()
        return {
            "entries": self.entries,
            "files": dict(self.files),
            "previous_coords": None if self._previous_coords is None else torch.from_numpy(self._previous_coords),
            "images_seen": self._images_seen,
            "steps": self._steps,
            "elapsed_seconds": time.perf_counter() - self._started,
            "loss_images_seen": seen,
            "loss_batches": batches,
            "losses": losses,
        }

    def _packed_losses(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """The step losses so far as three tensors. A run checkpoints at every dataset
        multiple; packing only the steps since the last checkpoint keeps that linear in
        the run's length instead of quadratic (it was most of the checkpoints' cost)."""
        packed_seen, packed_batches, packed_losses = self._packed
        new = self._losses[len(packed_seen) :]
        if new:
            seen, batches, losses = zip(*new)
            packed_seen = torch.cat([packed_seen, torch.tensor(seen, dtype=torch.int64)])
            packed_batches = torch.cat([packed_batches, torch.tensor(batches, dtype=torch.int64)])
            losses = torch.stack([torch.as_tensor(loss).reshape(()).cpu() for loss in losses])
            packed_losses = torch.cat([packed_losses, losses])
            self._packed = (packed_seen, packed_batches, packed_losses)
        return self._packed

    def load_state_dict(self, state: dict) -> None:
        """Continues the timeline a `state_dict` saved (same model, data and seed)."""
        self._check_open()
        self.entries = state["entries"]
        self.files = dict(state["files"])
        coords = state["previous_coords"]
        self._previous_coords = None if coords is None else coords.numpy()
        self._images_seen, self._steps = state["images_seen"], state["steps"]
        self._started = time.perf_counter() - state["elapsed_seconds"]
        seen, batches = state["loss_images_seen"].tolist(), state["loss_batches"].tolist()
        self._losses = list(zip(seen, batches, state["losses"].unbind(), strict=True))
        self._packed = (state["loss_images_seen"], state["loss_batches"], state["losses"])
        self._next_target = next_target(self.entries[-1]["images_seen"], self.train_size)

    def abandon(self) -> None:
        """Drops everything recorded; nothing is written."""
        self._closed = True
        self.files.clear()

    def __enter__(self) -> TimelineRecorder:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if self._closed:
            return
        if kind is None:
            self.close()
        else:
            self.abandon()

    # --- inside ----------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("this TimelineRecorder is closed: create a new one to record again")

    def _record(self, images_seen: int, step: int) -> None:
        weights16 = {
            name: tensor.detach().to("cpu", torch.float16).contiguous()
            for name, tensor in self.description.parameters().items()
        }
        weights = {name: tensor.float() for name, tensor in weights16.items()}
        if not all(torch.isfinite(tensor).all() for tensor in weights.values()):
            raise DivergedError("the weights are no longer finite numbers (or overflow float16)", images_seen, step)
        logits = forward(self.description, weights, self._images)
        hidden = forward(self.description, weights, self._probe_images, capture=self.description.latent_layer)
        if not (torch.isfinite(logits).all() and torch.isfinite(hidden).all()):
            raise DivergedError("the activations are no longer finite numbers", images_seen, step)
        metrics = evaluate(logits, self._labels)
        if self._validation is not None:
            val_images, val_labels = self._validation
            metrics.update(evaluate_validation(forward(self.description, weights, val_images), val_labels))
        if not all(math.isfinite(metrics[key]) for key in ("test_loss", "val_loss") if key in metrics):
            raise DivergedError("the test or validation loss is no longer a finite number", images_seen, step)
        projection = latent.project(hidden, self._previous_coords)
        self._previous_coords = projection.coords
        self._next_target = next_target(images_seen, self.train_size)

        snapshot = snapshot_at(images_seen, self.train_size)
        index = len(self.entries)
        epoch = images_seen / self.train_size
        metadata = {"id": snapshot.id, "index": index, "images_seen": images_seen, "step": step, "epoch": epoch}
        payload = export.snapshot_payload(weights16, projection, metadata)
        file = export.file_entry(self.stem, f"{index:03d}_{snapshot.id}", payload)
        self.files[export.file_name(file)] = payload
        self.entries.append(
            {
                "index": index,
                "id": snapshot.id,
                "label": snapshot.label,
                "images_seen": images_seen,
                "step": step,
                "epoch": epoch,
                **file,
                "metrics": metrics,
            }
        )

    def best_index(self) -> int | None:
        """The snapshot with the lowest validation loss so far (None without validation)."""
        return validation_split.best_index(self.entries)

    def _validation_summary(self) -> dict | None:
        if self._validation is None:
            return None
        best = self.best_index()
        return {"size": len(self._validation[1]), "best_index": best, "best_id": self.entries[best]["id"]}

    def _loss_history(self) -> dict:
        """The mean loss per image over consecutive windows of steps, at most
        LOSS_HISTORY_POINTS points."""
        if not self._losses:
            return {"images_seen": [], "loss": []}
        raw = [loss for _, _, loss in self._losses]
        if all(isinstance(loss, torch.Tensor) for loss in raw):
            values = torch.stack([loss.reshape(()) for loss in raw]).double().cpu().tolist()
        else:
            values = [float(loss) for loss in raw]
        window = max(1, math.ceil(len(values) / LOSS_HISTORY_POINTS))
        seen, losses = [], []
        for start in range(0, len(values), window):
            group = range(start, min(start + window, len(values)))
            mean = sum(values[i] * self._losses[i][1] for i in group) / sum(self._losses[i][1] for i in group)
            if math.isfinite(mean):  # JSON has no NaN: a diverged window is left out
                seen.append(self._losses[group[-1]][0])
                losses.append(round(mean, 5))
        return {"images_seen": seen, "loss": losses}


def _count(images_seen) -> int:
    try:
        return operator.index(images_seen)
    except TypeError:
        raise TypeError(f"images_seen must be a whole number of images, got {images_seen!r}") from None
