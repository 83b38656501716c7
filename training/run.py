"""One training run from validated config and loaded data to a written export."""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from rich.console import Console

from training import latent
from training.config import TrainConfig
from training.export import write_export
from training.loop import TrainingData, train
from training.manifest import GALLERY_FILE, PROBE_FILE, add_gallery, build_manifest, probe_file
from training.mnist_data import Mnist
from training.model import MLP
from training.normalisation import normalise
from training.progress import TrainingProgress
from training.recorder import TestSet, TimelineRecorder
from training.schedule import FULL_EPOCHS, Snapshot, timeline


@dataclass(frozen=True)
class RunResult:
    model: MLP  # the trained float32 network (the export holds its float16 rounding)
    manifest: dict
    files: dict[str, bytes]  # every file of the export folder, by name
    timeline: list[Snapshot]
    shortened_note: str | None

    @property
    def export_bytes(self) -> int:
        return sum(len(payload) for payload in self.files.values())


def run(config: TrainConfig, mnist: Mnist, device: torch.device, console: Console) -> RunResult:
    started = time.perf_counter()
    train_size = len(mnist.train_labels)
    total = 0 if config.skip_train else config.epochs * train_size
    if config.max_images:
        total = min(total, config.max_images)
    snapshots = timeline(total, train_size)
    note = shortened_note(total, train_size, snapshots[-1].label)

    torch.manual_seed(config.seed)
    model = MLP(config.hidden_dims).to(device)
    test_set = TestSet(
        normalise(mnist.test_images),
        torch.from_numpy(mnist.test_labels.astype("int64")),
        latent.choose_probe(mnist.test_labels, config.seed),
    )
    stem = config.export_path.stem
    recorder = TimelineRecorder(model, test_set, train_size, stem)
    data = TrainingData.prepare(mnist, config.augment, device)
    with TrainingProgress(console, total, train_size) as progress:
        history = train(model, data, config, snapshots, recorder, progress.update)

    probe, probe_payload = probe_file(test_set.probe_indices, mnist, stem)
    gallery, gallery_payload = add_gallery(recorder.entries, mnist, stem)
    files = {**recorder.files, PROBE_FILE: probe_payload, GALLERY_FILE: gallery_payload}
    manifest = build_manifest(
        config=config,
        model=model,
        device=device,
        duration=time.perf_counter() - started,
        mnist=mnist,
        timeline=recorder.entries,
        loss_history=history,
        probe=probe,
        gallery=gallery,
        shortened_note=note,
    )
    write_export(config.export_path, manifest, files)
    return RunResult(model, manifest, files, snapshots, note)


def shortened_note(total: int, train_size: int, last_label: str) -> str | None:
    if total >= FULL_EPOCHS * train_size:
        return None
    if total == 0:
        return "Untrained export (--skip-train): the timeline holds only the untrained network."
    return (
        f"Timeline shortened: training stopped after {total:,} images, so the timeline ends at "
        f"'{last_label}' instead of '{FULL_EPOCHS}× dataset' (use --epochs {FULL_EPOCHS} for the full timeline)."
    )
