"""Nothing is written half-done: every output goes to a temporary name beside its target
and is renamed into place once complete (a folder is swapped in with two renames)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from training.toolkit.errors import ToolError, UsageError


def check_output_file(path: Path, suffix: str) -> Path:
    """The target of a file output: right suffix, an existing folder, not a folder itself."""
    if path.suffix.lower() != suffix:
        raise UsageError(f"{path}: the output must end in {suffix}")
    if path.is_dir():
        raise UsageError(f"{path} is a directory")
    return _in_writable_folder(path)


def _in_writable_folder(path: Path) -> Path:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{path}: the folder {parent} is not writable")
    return path


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yields a temporary path beside `path` with the same suffix; on success it replaces
    `path` in one rename, on any failure it is removed and `path` is left as it was."""
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(handle)
    temp_path = Path(temp)
    try:
        yield temp_path
        if not temp_path.exists() or temp_path.stat().st_size == 0:
            raise ToolError(f"{path}: nothing was written")
        os.chmod(temp_path, 0o644)
        os.replace(temp_path, path)
    finally:
        temp_path.unlink(missing_ok=True)


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as temp:
        temp.write_bytes(data)


MARKER = ".training-report"  # marks a folder written by `report`, which `report` may replace


def check_output_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path} exists and is not a folder")
    if path.is_dir() and any(path.iterdir()) and not (path / MARKER).exists():
        raise UsageError(f"{path} is a folder with other files in it: name a new or empty folder, or an earlier report")
    return _in_writable_folder(path)


@contextlib.contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """Yields a temporary folder beside `path`; on success it takes `path`'s place (an
    earlier report there is moved aside first, then deleted), on failure it is deleted."""
    temp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield temp
        (temp / MARKER).write_text("written by python -m training report; report may replace this folder\n")
        os.chmod(temp, 0o755)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / "previous")
            os.replace(temp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(temp, path)
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
