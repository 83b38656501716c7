"""Reading MNIST: IDX parsing (synthetic and real files), torchvision's layout,
downloads from a mirror with MD5 verification, and clear errors for bad data."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from training.mnist_data import FILES, DataError, load_mnist, parse_idx, read_idx_bytes

CLOSED_PORT_MIRROR = ("http://127.0.0.1:9/",)  # nothing listens on the discard port: fails at once


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.mark.parametrize("compressed", [False, True])
def test_parses_small_synthetic_files(tmp_path, compressed):
    images = np.arange(3 * 4 * 5, dtype=np.uint8).reshape(3, 4, 5)
    data = idx_bytes(images, 2051)
    path = tmp_path / ("images.gz" if compressed else "images")
    path.write_bytes(gzip.compress(data) if compressed else data)
    parsed = parse_idx(read_idx_bytes(path), path, magic=2051, shape=(3, 4, 5))
    np.testing.assert_array_equal(parsed, images)
    labels = np.array([7, 0, 9], dtype=np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels, 2049), path), labels)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x01\x00\x08\x01" + (3).to_bytes(4, "big") + b"abc", "bad magic"),
        ((2049).to_bytes(4, "big") + (3).to_bytes(4, "big") + b"ab", "wrong length"),
        ((2049).to_bytes(4, "big") + (3).to_bytes(4, "big") + b"abcd", "wrong length"),
        ((2049).to_bytes(4, "big") + b"\x00\x00", "truncated IDX header"),
        (b"\x00\x00\x0d\x01" + (1).to_bytes(4, "big") + b"abcd", "only unsigned-byte"),
        (b"", "bad magic"),
    ],
)
def test_rejects_malformed_idx_data_naming_the_file(tmp_path, data, message):
    source = tmp_path / "labels-idx1-ubyte"
    with pytest.raises(DataError, match=message) as error:
        parse_idx(data, source)
    assert str(source) in str(error.value)


def test_rejects_a_file_of_the_wrong_kind(tmp_path):
    labels = idx_bytes(np.zeros(5, dtype=np.uint8), 2049)
    with pytest.raises(DataError, match="bad magic number 2049, expected 2051"):
        parse_idx(labels, tmp_path / "x", magic=2051)
    with pytest.raises(DataError, match=r"wrong shape \[5\], expected \[60000\]"):
        parse_idx(labels, tmp_path / "x", magic=2049, shape=(60000,))


def test_reads_the_real_files(mnist):
    assert mnist.train_images.shape == (60000, 28, 28) and mnist.test_images.shape == (10000, 28, 28)
    assert mnist.train_labels[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert mnist.test_labels[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert np.bincount(mnist.train_labels).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert round(float(mnist.train_images.mean()), 3) == 33.318
    assert round(float(mnist.test_images.mean()), 3) == 33.791


def test_reads_uncompressed_files_in_torchvision_layout(tmp_path, mnist_dir, mnist):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for spec in FILES.values():
        (raw / spec.name).write_bytes(gzip.decompress((mnist_dir / f"{spec.name}.gz").read_bytes()))
    loaded = load_mnist(tmp_path, mirrors=CLOSED_PORT_MIRROR)
    np.testing.assert_array_equal(loaded.test_images, mnist.test_images)
    np.testing.assert_array_equal(loaded.train_labels, mnist.train_labels)


def copy_real(mnist_dir: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    for spec in FILES.values():
        shutil.copy(mnist_dir / f"{spec.name}.gz", folder)
    return folder


def test_missing_files_offline_name_the_files_the_folder_and_the_mirrors(tmp_path, mnist_dir):
    folder = copy_real(mnist_dir, tmp_path / "data")
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    (folder / "train-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DataError) as error:
        load_mnist(folder, mirrors=CLOSED_PORT_MIRROR)
    message = str(error.value)
    assert "train-images-idx3-ubyte.gz" in message and "t10k-labels-idx1-ubyte.gz" in message
    assert "train-labels-idx1-ubyte.gz" not in message.split(";")[0]
    assert str(folder) in message and "http://127.0.0.1:9/: " in message
    assert "\n" not in message
    assert sorted(p.name for p in folder.iterdir()) == ["t10k-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]


def test_downloads_missing_files_from_a_mirror_and_verifies_them(tmp_path, mnist_dir, serve, mnist):
    mirror = copy_real(mnist_dir, tmp_path / "mirror")
    server = serve(mirror)
    target = tmp_path / "data"
    loaded = load_mnist(target, mirrors=("http://127.0.0.1:9/", server.url + "/"))
    assert sorted(server.requests) == sorted(f"/{spec.name}.gz" for spec in FILES.values())
    for spec in FILES.values():
        assert (target / f"{spec.name}.gz").read_bytes() == (mnist_dir / f"{spec.name}.gz").read_bytes()
    assert sorted(p.name for p in target.iterdir()) == sorted(f"{s.name}.gz" for s in FILES.values())
    np.testing.assert_array_equal(loaded.train_labels, mnist.train_labels)


def test_a_download_with_the_wrong_md5_is_rejected_and_not_written(tmp_path, mnist_dir, serve):
    mirror = copy_real(mnist_dir, tmp_path / "mirror")
    labels = mirror / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-10] + b"0123456789")
    target = copy_real(mnist_dir, tmp_path / "data")
    (target / labels.name).unlink()
    server = serve(mirror)
    with pytest.raises(DataError, match=f"{server.url}/: t10k-labels-idx1-ubyte.gz failed its MD5 check"):
        load_mnist(target, mirrors=(server.url + "/",))
    assert not (target / labels.name).exists()
    assert len(list(target.iterdir())) == 3, "no temp file left behind"


def test_truncated_gzip_names_the_file(tmp_path, mnist_dir):
    folder = copy_real(mnist_dir, tmp_path / "data")
    images = folder / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[: images.stat().st_size // 2])
    with pytest.raises(DataError, match="truncated or corrupted gzip") as error:
        load_mnist(folder, mirrors=CLOSED_PORT_MIRROR)
    assert str(images) in str(error.value)


def test_truncated_raw_file_names_the_file(tmp_path, mnist_dir):
    folder = copy_real(mnist_dir, tmp_path / "data")
    (folder / "train-labels-idx1-ubyte.gz").unlink()
    raw = folder / "train-labels-idx1-ubyte"
    raw.write_bytes(gzip.decompress((mnist_dir / "train-labels-idx1-ubyte.gz").read_bytes())[:-100])
    with pytest.raises(DataError, match="wrong length: 59908 bytes, expected 60008") as error:
        load_mnist(folder, mirrors=CLOSED_PORT_MIRROR)
    assert str(raw) in str(error.value)


def test_changed_content_fails_the_checksum(tmp_path, mnist_dir):
    folder = copy_real(mnist_dir, tmp_path / "data")
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    content = bytearray(gzip.decompress(labels.read_bytes()))
    content[100] = (content[100] + 1) % 10
    labels.write_bytes(gzip.compress(bytes(content)))
    with pytest.raises(DataError, match="checksum mismatch") as error:
        load_mnist(folder, mirrors=CLOSED_PORT_MIRROR)
    assert str(labels) in str(error.value)


def test_recompressed_files_are_accepted(tmp_path, mnist_dir):
    """The checksum is of the content, so a re-gzipped copy of real MNIST loads."""
    folder = copy_real(mnist_dir, tmp_path / "data")
    labels = folder / "train-labels-idx1-ubyte.gz"
    recompressed = gzip.compress(gzip.decompress(labels.read_bytes()), compresslevel=1, mtime=0)
    assert hashlib.md5(recompressed).hexdigest() != FILES["train_labels"].md5_gz
    labels.write_bytes(recompressed)
    assert load_mnist(folder, mirrors=CLOSED_PORT_MIRROR).train_labels[0] == 5
