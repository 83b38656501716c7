"""--tensorboard DIR: the event file, read back with TensorBoard's own reader, holds the
training loss and learning rate per progress window, test and validation loss and
accuracy per snapshot and the first layer's weights as images; without the package the
run stops before anything is read or written, with one line saying how to install it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from train_runs import run_quietly, short_config

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_event_file_holds_the_scalars_and_images_of_every_snapshot(mnist, mnist_dir, tmp_path):
    config = short_config(tmp_path / "mlp.json", mnist_dir, max_images=2000, val_size=1000)
    config = dataclasses.replace(config, tensorboard=tmp_path / "tb")
    result, _ = run_quietly(config, mnist)
    timeline = result.manifest["timeline"]
    events = EventAccumulator(str(tmp_path / "tb"), size_guidance={"scalars": 0, "images": 0}).Reload()
    tags = events.Tags()
    assert {"train/loss", "train/learning_rate", "test/loss", "test/accuracy", "val/loss", "val/accuracy"} <= set(
        tags["scalars"]
    )
    for tag, key in (("test/loss", "test_loss"), ("test/accuracy", "test_accuracy"), ("val/loss", "val_loss")):
        scalars = events.Scalars(tag)
        assert [s.step for s in scalars] == [entry["images_seen"] for entry in timeline]
        assert [s.value for s in scalars] == pytest.approx([entry["metrics"][key] for entry in timeline], abs=1e-6)
    history = result.manifest["loss_history"]
    losses = events.Scalars("train/loss")
    assert [s.step for s in losses] == history["images_seen"]
    assert [s.value for s in losses] == pytest.approx(history["loss"], rel=1e-4)
    rates = [s.value for s in events.Scalars("train/learning_rate")]
    assert rates == sorted(rates, reverse=True) and rates[-1] == 0 < rates[0] <= config.lr  # cosine to 0
    images = events.Images("first_layer/weights")
    assert [image.step for image in images] == [entry["images_seen"] for entry in timeline]
    assert images[0].encoded_image_string.startswith(b"\x89PNG")


def test_without_tensorboard_one_line_exit_2_and_nothing_trained(tmp_path, mnist_dir):
    """A real interpreter in which the tensorboard package cannot be imported."""
    program = textwrap.dedent(
        f"""
        import sys
        class HideTensorBoard:
            def find_spec(self, name, path=None, target=None):
                if name == "tensorboard" or name.startswith("tensorboard."):
                    raise ModuleNotFoundError(f"No module named {{name!r}}")
        sys.meta_path.insert(0, HideTensorBoard())
        sys.path.insert(0, {str(REPO)!r})
        from training.mlp_train import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    args = ["--data-dir", str(mnist_dir), "--export-path", str(tmp_path / "m.json")]
    args += ["--tensorboard", str(tmp_path / "tb")]
    result = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("mlp_train.py: error: --tensorboard needs the tensorboard package")
    assert "pip install" in result.stderr
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []
