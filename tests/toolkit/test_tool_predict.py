"""`python -m training predict`: the 10,000 test digits as PNG files classified as the page
would classify them, a phone-photo-like picture, bad files, --json, --show, --snapshot."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
from PIL import Image
from toolkit_helpers import COMMITTED, error_lines, page_preprocess_js, run_tool

from training.toolkit.cli import main
from training.toolkit.preprocess import normalise


def predictions(result) -> dict[str, dict]:
    return {record["file"]: record for record in map(json.loads, result.stdout.splitlines())}


@pytest.mark.slow
def test_the_10000_test_pngs_are_classified_as_the_page_would_and_98_percent_right(
    test_pngs, test_set, committed, tmp_path
):
    result = run_tool("predict", "--json", *test_pngs.names, cwd=test_pngs.folder, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["file"] for record in records] == test_pngs.names  # one line per file, in order
    predicted = np.array([record["prediction"] for record in records])
    probabilities = np.array([record["probabilities"] for record in records])
    assert probabilities.shape == (10000, 10)
    assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-4)
    assert (probabilities.argmax(axis=1) == predicted).all()
    accuracy = (predicted == test_pngs.labels).mean()
    assert accuracy >= 0.98, accuracy

    # The page: its own JavaScript preprocessing of the same digits, then the same network.
    seen = page_preprocess_js([image / 255.0 for image in test_set.images], tmp_path)
    inputs = torch.from_numpy(normalise(seen, committed.input.mean, committed.input.std))
    page_logits = committed.network(committed.snapshot(None)).logits(inputs)
    page_predicted = page_logits.argmax(dim=1).numpy()
    page_probabilities = torch.softmax(page_logits.double(), dim=1).numpy()
    assert (predicted == page_predicted).all()
    assert np.abs(probabilities - page_probabilities).max() <= 1e-4


def synthetic_photo(digit: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """A phone photo of a digit written on paper: 1200×900, dark ink on light, slightly
    uneven paper (a lighting gradient and a soft bump), off-centre, grain, JPEG."""
    height, width = 900, 1200
    ys, xs = np.mgrid[0:height, 0:width] / np.array([height, width])[:, None, None]
    paper = 0.74 + 0.12 * xs + 0.06 * ys + 0.03 * np.sin(3 * xs + 2 * ys)
    side = 560
    ink = np.zeros((height, width))
    stroke = Image.fromarray(digit).resize((side, side), Image.Resampling.BICUBIC)
    ink[200 : 200 + side, 520 : 520 + side] = np.asarray(stroke, dtype=float) / 255
    grey = paper * (1 - 0.8 * np.clip(ink, 0, 1)) + rng.normal(0, 0.012, size=(height, width))
    tint = np.stack([grey * 1.0, grey * 0.96, grey * 0.88], axis=-1)
    return Image.fromarray(np.clip(tint * 255, 0, 255).astype(np.uint8))


def test_a_photo_of_a_handwritten_digit_is_recognised(test_set, tmp_path):
    rng = np.random.default_rng(5)
    names = []
    for digit in range(10):
        index = int(np.flatnonzero(test_set.labels == digit)[0])
        name = f"photo-{digit}.jpg"
        synthetic_photo(test_set.images[index], rng).save(tmp_path / name, quality=88)
        names.append(name)
    result = run_tool("predict", "--json", *names, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = predictions(result)
    assert [found[name]["prediction"] for name in names] == list(range(10))
    assert Image.open(tmp_path / names[0]).size == (1200, 900)


BAD_FILES = {
    "notes.png": "not a PNG or JPEG image",
    "empty.jpg": "empty file",
    "blank.png": "no ink found",
    "truncated.png": "damaged image",
    "missing.png": "no such file",
    "folder.png": "is a directory",
}


def make_bad_files(folder, good_digit: np.ndarray) -> None:
    (folder / "notes.png").write_text("shopping list: milk, eggs\n")
    (folder / "empty.jpg").write_bytes(b"")
    Image.new("RGB", (300, 200), (230, 230, 225)).save(folder / "blank.png")
    Image.fromarray(good_digit).save(folder / "good.png")
    big = Image.fromarray(np.kron(good_digit, np.ones((20, 20), dtype=np.uint8)))
    big.save(folder / "whole.png")
    data = (folder / "whole.png").read_bytes()
    (folder / "truncated.png").write_bytes(data[: len(data) // 2])
    (folder / "folder.png").mkdir()


def test_bad_files_each_get_one_error_line_and_the_others_are_still_predicted(test_set, tmp_path):
    make_bad_files(tmp_path, test_set.images[0])
    names = ["notes.png", "good.png", "empty.jpg", "blank.png", "truncated.png", "missing.png", "folder.png"]
    result = run_tool("predict", "--json", *names, cwd=tmp_path)
    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [record["file"] for record in records] == names
    assert records[1]["prediction"] == int(test_set.labels[0])
    errors = error_lines(result)
    assert len(errors) == len(BAD_FILES)
    for name, message in BAD_FILES.items():
        record = next(record for record in records if record["file"] == name)
        assert set(record) == {"file", "error"} and name in record["error"] and message in record["error"]
        assert any(line.startswith(f"training predict: error: {name}: {message}") for line in errors), errors

    table = run_tool("predict", "good.png", "notes.png", cwd=tmp_path)  # the table reports them too
    assert table.returncode == 1
    assert "good.png" in table.stdout and "notes.png" in table.stdout
    assert error_lines(table) == ["training predict: error: notes.png: not a PNG or JPEG image"]


def test_show_writes_a_picture_and_snapshot_picks_the_network(test_set, tmp_path):
    make_bad_files(tmp_path, test_set.images[0])
    result = run_tool(
        "predict", "good.png", "whole.png", "--snapshot", "init", "--show", "seen.png", "--json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    untrained = predictions(result)["good.png"]["probabilities"]
    assert max(untrained) < 0.5  # the untrained network is unsure of everything
    with Image.open(tmp_path / "seen.png") as picture:
        picture.verify()
    with Image.open(tmp_path / "seen.png") as picture:
        assert picture.width >= 600 and picture.height >= 300
        assert np.asarray(picture.convert("L"), dtype=float).var() > 100
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []  # no temp left


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--snapshot", "ep999"], "unknown snapshot 'ep999'", 2),
        (["--show", "picture.jpg"], "picture.jpg: the output must end in .png", 2),
        (["--show", "no-folder/picture.png"], "the folder no-folder does not exist", 2),
        (["--export", "nowhere.json"], "nowhere.json: no such export", 1),
        (["--export", "notes.txt"], "an export is named by its .json manifest", 2),
        (["--frobnicate"], "unrecognized arguments: --frobnicate", 2),
    ],
)
def test_bad_usage_is_one_line_and_writes_nothing(args, message, code, test_set, tmp_path, monkeypatch, capsys):
    Image.fromarray(test_set.images[0]).save(tmp_path / "good.png")
    monkeypatch.chdir(tmp_path)
    assert main(["predict", "good.png", *args]) == code
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("training predict: error: ")
    assert message in captured.err
    assert captured.out == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["good.png"]


def test_a_damaged_export_is_one_line_naming_the_file(tmp_path, test_set):
    from toolkit_helpers import copy_export

    Image.fromarray(test_set.images[0]).save(tmp_path / "good.png")
    manifest = copy_export(tmp_path / "copy", copy_files=True)
    snapshot = tmp_path / "copy" / json.loads(COMMITTED.read_text())["timeline"][-1]["file"]
    data = bytearray(snapshot.read_bytes())
    data[-1] ^= 0xFF
    snapshot.write_bytes(bytes(data))
    result = run_tool("predict", "good.png", "--export", manifest, cwd=tmp_path)
    assert result.returncode == 1
    assert error_lines(result) == [
        f"training predict: error: {snapshot}: sha256 differs from the manifest's (the file was changed)"
    ]
    (tmp_path / "broken.json").write_text('{"format": "mnist-mlp-timeline", ')
    result = run_tool("predict", "good.png", "--export", "broken.json", cwd=tmp_path)
    assert result.returncode == 1 and len(error_lines(result)) == 1 and "broken.json: not JSON" in result.stderr
