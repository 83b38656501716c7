"""MNIST's four IDX files: find them (flat folder or torchvision's MNIST/raw/), download
missing ones from the public mirrors with MD5 verification, parse them with numpy after
checking every header, and refuse anything corrupt with an error naming the file."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)


@dataclass(frozen=True)
class IdxFile:
    name: str  # uncompressed file name; the download is name + ".gz"
    magic: int  # 2051 = uint8 images (3 dims), 2049 = uint8 labels (1 dim)
    shape: tuple[int, ...]
    md5_gz: str  # the published checksum of the .gz on the mirrors
    md5_raw: str  # checksum of the decompressed content, whichever way it was stored


FILES = {
    "train_images": IdxFile(
        "train-images-idx3-ubyte",
        2051,
        (60000, 28, 28),
        "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "6bbc9ace898e44ae57da46a324031adb",
    ),
    "train_labels": IdxFile(
        "train-labels-idx1-ubyte",
        2049,
        (60000,),
        "d53e105ee54ea40749a09fcbcd1e9432",
        "a25bea736e30d166cdddb491f175f624",
    ),
    "test_images": IdxFile(
        "t10k-images-idx3-ubyte",
        2051,
        (10000, 28, 28),
        "9fb629c4189551a2d022fa330f9573f3",
        "2646ac647ad5339dbf082846283269ea",
    ),
    "test_labels": IdxFile(
        "t10k-labels-idx1-ubyte", 2049, (10000,), "ec29112dd5afa0611ce80d1b7f02629c", "27ae3e4e09519cfbb04c329615203637"
    ),
}


class DataError(RuntimeError):
    """Missing, corrupt or unreadable MNIST data; the message names the file."""


@dataclass(frozen=True)
class Mnist:
    train_images: np.ndarray  # uint8 [60000, 28, 28]
    train_labels: np.ndarray  # uint8 [60000]
    test_images: np.ndarray  # uint8 [10000, 28, 28]
    test_labels: np.ndarray  # uint8 [10000]


def read_idx_bytes(path: Path) -> bytes:
    """The file's IDX content, gunzipped when the name ends in .gz."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DataError(f"{path}: cannot read: {error.strerror}") from error
    if path.suffix != ".gz":
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise DataError(f"{path}: truncated or corrupted gzip file ({error})") from error


def parse_idx(data: bytes, source: Path, magic: int | None = None, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """An IDX uint8 array from its bytes; `magic`/`shape`, when given, must match exactly."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise DataError(f"{source}: not an IDX file (bad magic number)")
    found_magic = int.from_bytes(data[:4], "big")
    if data[2] != 0x08:
        raise DataError(f"{source}: bad magic number {found_magic}: only unsigned-byte IDX data is supported")
    if magic is not None and found_magic != magic:
        raise DataError(f"{source}: bad magic number {found_magic}, expected {magic}")
    ndim = data[3]
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise DataError(f"{source}: truncated IDX header ({len(data)} bytes)")
    dims = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if shape is not None and dims != shape:
        raise DataError(f"{source}: wrong shape {list(dims)}, expected {list(shape)}")
    expected = header_size + int(np.prod(dims, dtype=np.int64))
    if len(data) != expected:
        raise DataError(f"{source}: wrong length: {len(data)} bytes, expected {expected} for shape {list(dims)}")
    return np.frombuffer(data, dtype=np.uint8, offset=header_size).reshape(dims).copy()  # writable


def find_file(data_dir: Path, spec: IdxFile) -> Path | None:
    for folder in (data_dir, data_dir / "MNIST" / "raw"):
        for name in (spec.name + ".gz", spec.name):
            if (folder / name).is_file():
                return folder / name
    return None


@dataclass(frozen=True)
class MnistTest:
    test_images: np.ndarray  # uint8 [10000, 28, 28]
    test_labels: np.ndarray  # uint8 [10000]


def load_mnist(data_dir: Path, mirrors: tuple[str, ...] = MIRRORS) -> Mnist:
    """All four arrays; missing files are downloaded into data_dir first."""
    return Mnist(**_load(Path(data_dir), tuple(FILES), mirrors))


def load_mnist_test(data_dir: Path, mirrors: tuple[str, ...] = MIRRORS) -> MnistTest:
    """The test set only (what a recorder scores snapshots on), downloaded when missing."""
    return MnistTest(**_load(Path(data_dir), ("test_images", "test_labels"), mirrors))


def _load(data_dir: Path, keys: tuple[str, ...], mirrors: tuple[str, ...]) -> dict[str, np.ndarray]:
    paths = {key: find_file(data_dir, FILES[key]) for key in keys}
    missing = [key for key, path in paths.items() if path is None]
    if missing:
        paths.update(download_missing(data_dir, {key: FILES[key] for key in missing}, mirrors))
    return {key: _load_verified(paths[key], FILES[key]) for key in keys}


def _load_verified(path: Path, spec: IdxFile) -> np.ndarray:
    data = read_idx_bytes(path)
    array = parse_idx(data, path, spec.magic, spec.shape)
    if hashlib.md5(data).hexdigest() != spec.md5_raw:
        raise DataError(f"{path}: checksum mismatch: the content is not the canonical MNIST {spec.name}")
    return array


def download_missing(data_dir: Path, missing: dict[str, IdxFile], mirrors: tuple[str, ...]) -> dict[str, Path]:
    """Downloads every missing file, or raises one error naming all that stay missing."""
    found: dict[str, Path] = {}
    failures: dict[str, str] = {}  # mirror → why it failed; one reason per mirror keeps the error readable
    for key, spec in missing.items():
        path = _download(data_dir, spec, mirrors, failures)
        if path is not None:
            found[key] = path
    if len(found) < len(missing):
        names = [spec.name + ".gz" for key, spec in missing.items() if key not in found]
        reasons = "; ".join(f"{mirror}: {reason}" for mirror, reason in failures.items())
        raise DataError(
            f"MNIST files missing from {data_dir}: {', '.join(names)}; the download failed "
            f"({reasons or 'no mirror configured'}). Offline? Put the four files (.gz or uncompressed) "
            f"in {data_dir} (or {data_dir / 'MNIST' / 'raw'}), or pass --data-dir to the folder that holds them"
        )
    return found


def _download(data_dir: Path, spec: IdxFile, mirrors: tuple[str, ...], failures: dict[str, str]) -> Path | None:
    """The verified download written atomically into data_dir, or None (reason in failures)."""
    filename = spec.name + ".gz"
    for mirror in mirrors:
        url = mirror + filename
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                payload = response.read()
        except (urllib.error.URLError, OSError) as error:
            failures[mirror] = str(getattr(error, "reason", error))
            continue
        if hashlib.md5(payload).hexdigest() != spec.md5_gz:
            failures[mirror] = f"{filename} failed its MD5 check"
            continue
        return _write_atomically(data_dir / filename, payload)
    return None


def _write_atomically(path: Path, payload: bytes) -> Path:
    temp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as temp:
            temp.write(payload)
        os.replace(temp_name, path)
    except OSError as error:
        if temp_name is not None and os.path.exists(temp_name):
            os.unlink(temp_name)
        raise DataError(f"{path}: cannot save the download: {error.strerror}") from error
    return path
