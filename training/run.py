"""One training run from validated config and loaded data to a written export."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from rich.console import Console
from torch import nn

from training import checkpoint, validation
from training.config import TrainConfig, full_epochs
from training.loop import TrainingData, train
from training.mnist_data import Mnist
from training.model import build_model
from training.nesterov_step import NesterovStep
from training.progress import TrainingProgress
from training.recording import TimelineRecorder
from training.run_hooks import RunHooks
from training.schedule import Snapshot, timeline
from training.sgd_step import SgdStep


@dataclass(frozen=True)
class RunResult:
    model: nn.Sequential  # the trained float32 network (the export holds its float16 rounding)
    manifest: dict
    files: dict[str, bytes]  # every file of the export folder, by name
    timeline: list[Snapshot]
    shortened_note: str | None

    @property
    def export_bytes(self) -> int:
        return sum(len(payload) for payload in self.files.values())


def run(config: TrainConfig, mnist: Mnist, device: torch.device, console: Console) -> RunResult:
    resume_state = checkpoint.load_for_resume(config.resume, config, device) if config.resume else None
    mnist, held_out = validation.hold_out(mnist, config.val_size, config.seed)
    train_size = len(mnist.train_labels)
    total = 0 if config.skip_train else config.epochs * train_size
    if config.max_images:
        total = min(total, config.max_images)
    snapshots = timeline(total, train_size)
    note = shortened_note(total, train_size, snapshots[-1].label, full_epochs(config.architecture))

    model = training_model(config, device)
    recorder = TimelineRecorder(
        model,
        config.export_path,
        mnist=mnist,
        train_size=train_size,
        seed=config.seed,
        architecture=config.architecture,
        validation=None if held_out is None else (held_out.images, held_out.labels),
        training={
            "config": config.to_json(),
            "seed": config.seed,
            "device": device.type,
            "threads": torch.get_num_threads(),
            "optimizer": {
                "name": "sgd",
                "nesterov": True,
                "momentum": config.momentum,
                "lr_schedule": "cosine",
                "peak_lr": config.lr,
            },
        },
    )
    step = step_function(model, config)
    hooks = RunHooks(config, model, step, recorder, max(total, 1))
    with recorder:
        resume_at = (
            None if resume_state is None else checkpoint.restore(resume_state, config.resume, model, step, recorder)
        )
        hooks.start(resumed=resume_at is not None)
        data = TrainingData.prepare(mnist, config.augment, device)
        with TrainingProgress(console, total, train_size) as progress:

            def on_progress(images_seen: int, loss: float) -> None:
                progress.update(images_seen, loss)
                hooks.progress(images_seen, loss)

            try:
                train(step, data, config, total, recorder, on_progress, hooks.after_step, resume_at)
            finally:
                hooks.close()
        note = hooks.stop_note or note
        manifest = recorder.close(stopped_early_note=note)
    snapshots = snapshots[: len(manifest["timeline"])]  # an early stop ends the timeline sooner
    return RunResult(model, manifest, recorder.files, snapshots, note)


def training_model(config: TrainConfig, device: torch.device) -> nn.Sequential:
    """The seeded, untrained network on its device, in the memory layout it trains in."""
    torch.manual_seed(config.seed)
    model = build_model(config.architecture, config.hidden_dims).to(device)
    if config.architecture == "cnn":
        model = model.to(memory_format=torch.channels_last)  # training/sgd_step.py: why
    return model


def step_function(model: nn.Sequential, config: TrainConfig):
    """The MLP's hand-written Nesterov step, autograd + torch.optim for the CNN."""
    if config.architecture == "mlp":
        return NesterovStep(model, config.momentum)
    return SgdStep(model, config.momentum, input_shape=(1, 28, 28), channels_last=True)


def shortened_note(total: int, train_size: int, last_label: str, full: int) -> str | None:
    if total >= full * train_size:
        return None
    if total == 0:
        return "Untrained export (--skip-train): the timeline holds only the untrained network."
    return (
        f"Timeline shortened: training stopped after {total:,} images, so the timeline ends at "
        f"'{last_label}' instead of '{full}× dataset' (use --epochs {full} for the full timeline)."
    )
