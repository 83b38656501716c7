"""What the person running the script sees: a rich progress bar while training and a
summary table at the end (both on stderr/stdout through one rich console)."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table


class TrainingProgress:
    """A context manager; `update(images_seen, loss)` is cheap enough for every loss window."""

    def __init__(self, console: Console, total_images: int, train_size: int):
        self.train_size = train_size
        self.total_epochs = max(1, -(-total_images // train_size))
        self._start = time.perf_counter()
        self._progress = Progress(
            TextColumn("[bold]epoch {task.fields[epoch]}/{task.fields[epochs]}"),
            BarColumn(),
            TextColumn("{task.fields[rate]:>8,.0f} img/s"),
            TextColumn("loss {task.fields[loss]:.4f}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task = self._progress.add_task(
            "train", total=max(total_images, 1), epoch=0, epochs=self.total_epochs, rate=0.0, loss=float("nan")
        )

    def __enter__(self) -> TrainingProgress:
        self._progress.start()
        return self

    def __exit__(self, kind, *exc) -> None:
        if kind is None:
            self._progress.stop()
        else:  # a failed run ends on its one-line error alone: the bar is cleared, no blank line
            self._progress.live.transient = True
            self._progress.live.stop()

    def update(self, images_seen: int, loss: float) -> None:
        elapsed = max(time.perf_counter() - self._start, 1e-9)
        self._progress.update(
            self._task,
            completed=images_seen,
            rate=images_seen / elapsed,
            loss=loss,
            epoch=min(self.total_epochs, images_seen // self.train_size + 1),
        )


def print_summary(console: Console, rows: list[tuple[str, str]]) -> None:
    table = Table(title="Training run", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def human_bytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.1f} kB"


def describe_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())
