"""What people see: rich tables on stdout, progress bars and error lines on stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")

# Off a terminal (pipes, logs, CI) rich would wrap at 80 columns: use 120 unless COLUMNS says otherwise.
_WIDTH = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120
out = Console(highlight=False, width=_WIDTH)
err = Console(stderr=True, highlight=False)


def error_line(command: str, message: str) -> None:
    """A non-fatal error (the command goes on): one line on stderr."""
    print(f"training {command}: error: {' '.join(message.split())}", file=sys.stderr, flush=True)


def progress(items: Iterable[T], total: int, description: str) -> Iterator[T]:
    """Iterates with a transient progress bar on stderr (only on a terminal: logs and pipes
    get nothing)."""
    if not err.is_terminal:
        yield from items
        return
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)


def shown_path(path: Path) -> str:
    """A path as people typed it: relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def percent(value: float, digits: int = 2) -> str:
    return f"{100 * value:.{digits}f}%"


def human_bytes(size: int) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"
