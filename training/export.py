"""Writing the export: safetensors payloads for snapshots, probe and gallery, the
manifest, and its publication by one atomic rename (docs/export-format.md)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from training.latent import Projection

try:
    import fcntl
except ImportError:  # Windows: publications are not serialised
    fcntl = None

FORMAT = "mnist-mlp-timeline"  # the family's name, kept from version 1 (docs/export-format.md)
FORMAT_VERSION = 2
NAME_HASH_DIGITS = 8  # hex digits of a file's sha256 in its name
_PREVIOUS = "previous"  # in a temp folder of the earlier two-rename swap: the export being replaced
_DTYPES = {torch.float16: "F16", torch.float32: "F32", torch.int32: "I32", torch.uint8: "U8"}


def snapshot_payload(weights16: dict[str, torch.Tensor], projection: Projection, metadata: dict) -> bytes:
    """`weights16`: the float16 parameters by export name (`layers.{k}.weight`, …)."""
    tensors = dict(weights16)
    tensors["latent.mean"] = torch.from_numpy(projection.mean)
    tensors["latent.components"] = torch.from_numpy(projection.components)
    tensors["latent.coords"] = torch.from_numpy(projection.coords)
    return _safetensors(tensors, metadata)


def digits_payload(images: np.ndarray, labels: np.ndarray, test_indices: np.ndarray) -> bytes:
    """The probe/gallery layout: raw uint8 pixels, uint8 labels, int32 test-set indices."""
    return _safetensors(
        {
            "images": torch.from_numpy(np.ascontiguousarray(images, dtype=np.uint8)),
            "labels": torch.from_numpy(np.ascontiguousarray(labels, dtype=np.uint8)),
            "test_indices": torch.from_numpy(np.ascontiguousarray(test_indices, dtype=np.int32)),
        },
        {"count": str(len(labels))},
    )


def _safetensors(tensors: dict[str, torch.Tensor], metadata: dict) -> bytes:
    """The safetensors encoding, written here rather than by `safetensors.torch.save`,
    whose header order varies from run to run (the export must be byte-identical for a
    seed). Widest dtypes first and a header padded to 8 bytes, as the reference writer
    does, so every tensor is aligned for typed-array views in the browser."""
    header: dict = {
        "__metadata__": {
            "format": FORMAT,
            "format_version": str(FORMAT_VERSION),
            **{key: str(value) for key, value in metadata.items()},
        }
    }
    chunks, offset = [], 0
    for name in sorted(tensors, key=lambda n: (-tensors[n].element_size(), n)):
        tensor = tensors[name].detach().cpu().contiguous()
        data = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {
            "dtype": _DTYPES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    return len(encoded).to_bytes(8, "little") + encoded + b"".join(chunks)


def file_entry(folder: str, base: str, payload: bytes) -> dict:
    """The manifest's description of one file (path relative to the manifest). Its name is
    content-addressed, `<base>.<first 8 hex digits of its sha256>.safetensors`, so a new
    export's files go beside the previous export's without replacing any of them."""
    digest = hashlib.sha256(payload).hexdigest()
    name = f"{base}.{digest[:NAME_HASH_DIGITS]}.safetensors"
    return {"file": f"{folder}/{name}", "bytes": len(payload), "sha256": digest}


def file_name(entry: dict) -> str:
    """The name inside the export folder of a file entry made by `file_entry`."""
    return entry["file"].rsplit("/", 1)[-1]


class ExportError(Exception):
    """The export cannot be published without harming the one in place (one line)."""


FsStep = Callable[[str, Path], None]  # (operation, path): called just before each filesystem operation


def write_export(
    manifest_path: Path, manifest: dict, files: dict[str, bytes], *, fs_step: FsStep | None = None
) -> None:
    """Publishes an export by one atomic rename. Its files (content-addressed names, see
    `file_entry`) are written into the export folder beside those of the export in place,
    never replacing one of them; the manifest is written to a temporary file and renamed
    over the old one — the instant the new export appears, whole; only then are the files
    the new manifest does not list removed. A kill at any instant leaves the previous export
    or the new one, complete; an error before the rename removes what it wrote.
    Publications into one folder take turns (a lock on the folder), so that one never
    removes the files of another.

    files: name in the export folder → bytes, for every file the manifest lists there.
    fs_step: for tests only (kills between any two filesystem operations)."""
    step = fs_step or _no_step
    parent = manifest_path.parent
    parent.mkdir(parents=True, exist_ok=True)
    folder = manifest_path.with_suffix("")
    with _folder_lock(parent):
        recover_interrupted(manifest_path)
        in_use = _referenced(manifest_path)  # what the export in place needs (None: unknown)
        step("mkdir", folder)
        folder.mkdir(exist_ok=True)
        step("mkdtemp", parent)
        temp = Path(tempfile.mkdtemp(prefix=f"{_temp_prefix(manifest_path)}{os.getpid()}-", dir=parent))
        created: list[Path] = []
        published = False
        try:
            for name, payload in files.items():
                target = folder / name
                if _holds(target, payload):
                    continue  # the same bytes under the same content name: shared with the export in place
                if target.exists() and (in_use is None or name in in_use):
                    raise ExportError(f"{target} exists with other content and the export in place uses it")
                _write_new(temp / name, payload, step)
                step("rename", target)
                os.replace(temp / name, target)  # a final name only ever holds a complete file
                created.append(target)
            staged = temp / manifest_path.name
            _write_new(staged, json.dumps(manifest, separators=(",", ":")).encode("utf-8"), step)
            step("replace", manifest_path)
            os.replace(staged, manifest_path)  # the publication
            published = True
        finally:
            if not published:
                for path in created:
                    path.unlink(missing_ok=True)
            step("rmtree", temp)
            shutil.rmtree(temp, ignore_errors=True)
        _remove_unlisted(folder, manifest, manifest_path.stem, step)


def _no_step(operation: str, path: Path) -> None:
    pass


def _write_new(path: Path, payload: bytes, step: FsStep) -> None:
    step("create", path)
    with open(path, "xb") as stream:
        step("write", path)  # a kill here leaves an empty file in the temp folder
        stream.write(payload)


def _holds(path: Path, payload: bytes) -> bool:
    try:
        return path.is_file() and path.stat().st_size == len(payload) and path.read_bytes() == payload
    except OSError:
        return False


def _referenced(manifest_path: Path) -> set[str] | None:
    """The names in the export folder that the manifest in place lists: none without a
    manifest, None when it cannot be read (then every file counts as in use)."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError):
        return None
    return _listed(manifest, manifest_path.stem)


def _listed(manifest: dict, stem: str) -> set[str] | None:
    try:
        paths = [entry["file"] for entry in (*manifest["timeline"], manifest["probe"], manifest["gallery"])]
    except (KeyError, TypeError):
        return None
    return {path[len(stem) + 1 :] for path in paths if isinstance(path, str) and path.startswith(f"{stem}/")}


def _remove_unlisted(folder: Path, manifest: dict, stem: str, step: FsStep) -> None:
    """After the publication, best effort: removes the files of the export folder the new
    manifest does not list (the previous export's, leftovers of killed runs)."""
    keep = _listed(manifest, stem) or set()
    for path in sorted(folder.iterdir()):
        if path.name not in keep and path.is_file():
            step("remove", path)
            with contextlib.suppress(OSError):
                path.unlink()


@contextlib.contextmanager
def _folder_lock(folder: Path):
    """An exclusive advisory lock on `folder` for one publication (the system releases it
    when the process dies). Without fcntl (Windows): no lock."""
    if fcntl is None:
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _temp_prefix(manifest_path: Path) -> str:
    return f".{manifest_path.stem}.tmp-"


def recover_interrupted(manifest_path: Path) -> None:
    """Removes the temp folders of runs that are no longer alive. One left by the exporter
    before content-addressed names, killed during its swap of two renames, is finished
    first: its new manifest put in place, or the previous folder put back."""
    prefix = _temp_prefix(manifest_path)
    for temp in sorted(manifest_path.parent.glob(prefix + "*")):
        if not temp.is_dir() or _owner_alive(temp.name[len(prefix) :]):
            continue
        new_manifest = temp / manifest_path.name
        if (temp / _PREVIOUS).exists() and not manifest_path.with_suffix("").exists():
            os.rename(temp / _PREVIOUS, manifest_path.with_suffix(""))
        elif (temp / _PREVIOUS).exists() and not (temp / manifest_path.stem).exists() and new_manifest.exists():
            os.replace(new_manifest, manifest_path)  # its new folder was already in place
        shutil.rmtree(temp, ignore_errors=True)


def _owner_alive(suffix: str) -> bool:
    pid_text = suffix.split("-", 1)[0]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():  # a leftover from an earlier process that had our pid
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
