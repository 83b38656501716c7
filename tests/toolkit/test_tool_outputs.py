"""The commands that write files: `report` (figures + index), `video` (MP4) and `onnx`;
each writes its output whole or not at all."""

from __future__ import annotations

import html.parser
import xml.etree.ElementTree as ElementTree

import imageio_ffmpeg
import numpy as np
import onnx
import onnxruntime
import pytest
from PIL import Image
from toolkit_helpers import run_tool

from training.toolkit import onnx_export
from training.toolkit.cli import main
from training.toolkit.report import FIGURES
from training.toolkit.video import Dashboard, Timeline


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.links |= {value for name, value in attrs if name in ("href", "src")}


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report") / "figures"
    result = run_tool("report", folder)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return folder


@pytest.mark.slow
def test_report_figures_are_valid_pngs_of_the_stated_size_and_not_blank(report_dir):
    for spec in FIGURES:
        png = report_dir / f"{spec.name}.png"
        with Image.open(png) as image:
            image.verify()
        with Image.open(png) as image:
            assert image.format == "PNG" and image.size == spec.size, spec.name
            pixels = np.asarray(image.convert("L"), dtype=float)
        assert pixels.var() > 100, f"{spec.name} looks blank"
        assert (pixels < 128).mean() > 0.002, f"{spec.name} has almost nothing drawn"
        svg = ElementTree.parse(report_dir / f"{spec.name}.svg").getroot()
        assert svg.tag.endswith("svg")


@pytest.mark.slow
def test_report_index_links_every_figure_with_one_line(report_dir):
    parser = Links()
    parser.feed((report_dir / "index.html").read_text())
    markdown = (report_dir / "index.md").read_text()
    for spec in FIGURES:
        assert {f"{spec.name}.png", f"{spec.name}.svg"} <= parser.links
        assert f"]({spec.name}.png)" in markdown and f"]({spec.name}.svg)" in markdown
        assert spec.description in markdown
    files = {path.name for path in report_dir.iterdir()}
    assert files == {"index.html", "index.md", ".training-report"} | {
        f"{spec.name}.{suffix}" for spec in FIGURES for suffix in ("png", "svg")
    }
    assert not [path for path in report_dir.parent.iterdir() if path.name.startswith(".")]  # no temp folder left


def test_report_refuses_a_folder_with_other_files(tmp_path, capsys):
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("keep me")
    assert main(["report", str(tmp_path / "thesis")]) == 2
    assert "is a folder with other files in it" in capsys.readouterr().err
    assert [path.name for path in (tmp_path / "thesis").iterdir()] == ["chapter1.tex"]


def test_a_failed_report_leaves_the_earlier_one(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "report"
    folder.mkdir()
    (folder / ".training-report").write_text("earlier")
    (folder / "index.html").write_text("earlier report")

    def broken(figure, export, entry):
        raise RuntimeError("disk full")

    import training.toolkit.report as report

    monkeypatch.setattr(report, "FIGURES", [report.FIGURES[0], report.Figure("x", "x", "x", (100, 100), broken)])
    with pytest.raises(RuntimeError):
        main(["report", str(folder)])
    assert (folder / "index.html").read_text() == "earlier report"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report"]


def label_region(frame: np.ndarray, box) -> np.ndarray:
    """The label area in grey levels, normalised (zero mean, unit norm) so that H.264's
    colour rounding and range conversion do not matter, only the shapes of the letters."""
    left, top, right, bottom = box
    grey = frame[top:bottom, left:right, :3].astype(float).mean(axis=2)
    grey -= grey.mean()
    return grey / (np.linalg.norm(grey) or 1.0)


@pytest.mark.slow
def test_video_decodes_with_the_frames_size_and_rate_asked_and_shows_first_and_last_labels(tmp_path, committed):
    out = tmp_path / "timeline.mp4"
    result = run_tool("video", out, "--size", "640x360", "--fps", "10", "--seconds", "3")
    assert result.returncode == 0, result.stderr
    assert "30 frames, 640×360, 10 fps, 3.00 s" in result.stdout
    reader = imageio_ffmpeg.read_frames(str(out), pix_fmt="rgb24")
    meta = next(reader)
    frames = [np.frombuffer(frame, dtype=np.uint8).reshape(360, 640, 3) for frame in reader]
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    assert meta["size"] == (640, 360) and meta["fps"] == 10 and meta["duration"] == pytest.approx(3.0, abs=0.05)
    assert len(frames) == 30
    first, last = frames[0].astype(float), frames[-1].astype(float)
    assert np.abs(first - last).mean() > 3  # the map, bars, cursor and counter all moved

    # Which snapshot label does each end show? Compare its label area with every label drawn alone.
    dashboard = Dashboard(committed, Timeline.load(committed), (640, 360))
    templates = [label_region(dashboard.frame(float(i)), dashboard.label_box) for i in range(len(committed.timeline))]

    def shown_label(frame) -> str:
        region = label_region(frame, dashboard.label_box)
        similarity = np.array([(region * template).sum() for template in templates])  # correlation
        second, best = np.sort(similarity)[-2:]
        # one label clearly matches: the labels share "snapshot: " and "× dataset", so compare
        # how far each is from a perfect match
        assert best > 0.95 and 3 * (1 - best) < 1 - second, similarity
        return committed.timeline[int(np.argmax(similarity))]["label"]

    assert shown_label(frames[0]) == committed.timeline[0]["label"] == "untrained"
    assert shown_label(frames[-1]) == committed.timeline[-1]["label"] == "50× dataset"
    assert not [path for path in tmp_path.iterdir() if path.name != "timeline.mp4"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "641x360"], "needs even width and height"),
        (["--size", "big"], "is not WIDTHxHEIGHT"),
        (["--fps", "0"], "must be at least 1"),
        (["--seconds", "-2"], "must be a positive number"),
    ],
)
def test_video_bad_options_exit_2(args, message, tmp_path, capsys):
    assert main(["video", str(tmp_path / "v.mp4"), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def onnx_file(tmp_path_factory, mnist_dir):
    out = tmp_path_factory.mktemp("onnx") / "mlp.onnx"
    result = run_tool("onnx", out, "--data-dir", mnist_dir)
    assert result.returncode == 0, result.stderr
    assert "max |logit difference|" in result.stdout
    return out


def test_onnx_loads_in_onnxruntime_and_matches_pytorch(onnx_file, committed, test_set):
    model = onnx.load(onnx_file)
    onnx.checker.check_model(model)
    assert model.opset_import[0].version == onnx_export.OPSET
    metadata = {prop.key: prop.value for prop in model.metadata_props}
    assert metadata["snapshot_id"] == "ep50" and metadata["input_mean"] == "0.1307"
    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    inputs = test_set.normalised(committed.input)
    runtime = session.run(None, {"input": inputs.numpy()})[0]
    reference = committed.network(committed.snapshot(None)).logits(inputs).numpy()
    assert runtime.shape == (10000, 10)
    assert np.abs(runtime - reference).max() <= 1e-4
    assert (runtime.argmax(axis=1) == test_set.labels).mean() == committed.snapshot(None)["metrics"]["test_accuracy"]
    single = session.run(None, {"input": inputs[:1].numpy()})[0]  # any batch size
    assert single.shape == (1, 10)


def test_onnx_is_not_written_when_the_check_fails(tmp_path, mnist_dir, monkeypatch, capsys):
    monkeypatch.setattr(onnx_export, "TOLERANCE", -1.0)  # nothing can pass
    out = tmp_path / "model.onnx"
    assert main(["onnx", str(out), "--snapshot", "init", "--data-dir", str(mnist_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "onnxruntime differs from PyTorch" in err and "was not written" in err
    assert list(tmp_path.iterdir()) == []


def test_onnx_needs_an_onnx_name(tmp_path, capsys):
    assert main(["onnx", str(tmp_path / "model.pb")]) == 2
    assert capsys.readouterr().err == f"training onnx: error: {tmp_path / 'model.pb'}: the output must end in .onnx\n"
