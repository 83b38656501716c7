"""Writing the export: safetensors payloads for snapshots, probe and gallery, the
manifest, and the atomic swap of manifest + folder into place (docs/export-format.md)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import torch

from training.latent import Projection

FORMAT = "mnist-mlp-timeline"  # the family's name, kept from version 1 (docs/export-format.md)
FORMAT_VERSION = 2
_PREVIOUS = "previous"  # inside a temp folder: the export being replaced, until the swap completes
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


def file_entry(folder: str, name: str, payload: bytes) -> dict:
    """The manifest's description of one written file (path relative to the manifest)."""
    return {"file": f"{folder}/{name}", "bytes": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}


def write_export(manifest_path: Path, manifest: dict, files: dict[str, bytes]) -> None:
    """Writes manifest + `<stem>/` folder beside each other in a temp folder, then swaps
    both into place. An interruption before the swap leaves the previous export untouched;
    one during the swap (two renames) is completed or undone by the next run's cleanup."""
    parent = manifest_path.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover_interrupted(manifest_path)
    temp = Path(tempfile.mkdtemp(prefix=f"{_temp_prefix(manifest_path)}{os.getpid()}-", dir=parent))
    try:
        folder = temp / manifest_path.stem
        folder.mkdir()
        for name, payload in files.items():
            (folder / name).write_bytes(payload)
        (temp / manifest_path.name).write_text(json.dumps(manifest, separators=(",", ":")), encoding="utf-8")
        _swap_into_place(temp, manifest_path)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _temp_prefix(manifest_path: Path) -> str:
    return f".{manifest_path.stem}.tmp-"


def _swap_into_place(temp: Path, manifest_path: Path) -> None:
    target_folder = manifest_path.with_suffix("")
    if target_folder.exists():
        os.rename(target_folder, temp / _PREVIOUS)
    try:
        os.rename(temp / manifest_path.stem, target_folder)
    except OSError:
        if (temp / _PREVIOUS).exists():
            os.rename(temp / _PREVIOUS, target_folder)
        raise
    os.replace(temp / manifest_path.name, manifest_path)


def recover_interrupted(manifest_path: Path) -> None:
    """Finishes or undoes the swap of a run killed mid-swap, then removes temp folders
    of runs that are no longer alive."""
    for temp in sorted(manifest_path.parent.glob(_temp_prefix(manifest_path) + "*")):
        if not temp.is_dir() or _owner_alive(temp.name[len(_temp_prefix(manifest_path)) :]):
            continue
        new_manifest = temp / manifest_path.name
        if not (temp / manifest_path.stem).exists() and new_manifest.exists():
            os.replace(new_manifest, manifest_path)  # the new folder is already in place
        elif not manifest_path.with_suffix("").exists() and (temp / _PREVIOUS).exists():
            os.rename(temp / _PREVIOUS, manifest_path.with_suffix(""))
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
