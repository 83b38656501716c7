"""What a trustworthy run does between training steps (README, "Trustworthy runs"):
early stopping on the validation loss, checkpoints, TensorBoard. The loop calls
`after_step` after every step that took a snapshot or ended an epoch."""

from __future__ import annotations

from torch import nn

from training import checkpoint
from training.config import TrainConfig
from training.early_stop import EarlyStopping
from training.loop import LoopPosition, cosine_lr
from training.recording import TimelineRecorder
from training.tensorboard_log import TensorBoardLog


class RunHooks:
    def __init__(self, config: TrainConfig, model: nn.Module, step_function, recorder: TimelineRecorder, total: int):
        self.config, self.model, self.step_function, self.recorder, self.total = (
            config,
            model,
            step_function,
            recorder,
            total,
        )
        self.folder = config.checkpoint_dir or config.resume
        self.early = EarlyStopping(config.early_stop, config.min_delta) if config.early_stop else None
        self.tensorboard = TensorBoardLog(config.tensorboard) if config.tensorboard else None
        self.stop_note: str | None = None
        self._seen = 0  # timeline entries already handled (a resumed run starts with some)
        if self.folder is not None:
            checkpoint.write_config(self.folder, config)

    def start(self, resumed: bool) -> None:
        """Handles the snapshots recorded so far: the untrained one, or a resumed timeline
        (whose best.pt and TensorBoard events the killed run wrote: only early stopping
        needs to see its validation losses again)."""
        if resumed:
            for entry in self.recorder.entries:
                if self.early is not None:
                    self.early.update(entry["metrics"]["val_loss"])
            self._seen = len(self.recorder.entries)
        self._new_snapshots()

    def progress(self, images_seen: int, loss: float) -> None:
        if self.tensorboard is not None:
            self.tensorboard.training(images_seen, loss, cosine_lr(self.config.lr, images_seen / self.total))

    def after_step(self, position: LoopPosition) -> bool:
        stop = self._new_snapshots() if position.snapshot else False
        if self.folder is not None and position.epoch_end:
            checkpoint.save_last(
                self.folder, self.config, position, self.model, self.step_function, self.recorder, self.total
            )
        return stop

    def close(self) -> None:
        if self.tensorboard is not None:
            self.tensorboard.close()

    def _new_snapshots(self) -> bool:
        stop = False
        for entry in self.recorder.entries[self._seen :]:
            if self.tensorboard is not None:
                self.tensorboard.snapshot(entry, self.model)
            if "val_loss" not in entry["metrics"]:
                continue
            if self.folder is not None and self.recorder.best_index() == entry["index"]:
                checkpoint.save_best(self.folder, self.config, self.model, entry)
            if self.early is not None and self.early.update(entry["metrics"]["val_loss"]):
                stop = True
                self.stop_note = self._early_stop_note(entry)
        self._seen = len(self.recorder.entries)
        return stop

    def _early_stop_note(self, entry: dict) -> str:
        best = self.recorder.entries[self.early.best_position]
        return (
            f"Stopped early (--early-stop {self.config.early_stop}, --min-delta {self.config.min_delta:g}): the "
            f"validation loss has not improved on {best['metrics']['val_loss']:.4f} ('{best['label']}') for "
            f"{self.config.early_stop} snapshots, so training stopped after {entry['images_seen']:,} images "
            f"and the timeline ends at '{entry['label']}'."
        )
