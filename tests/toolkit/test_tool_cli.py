"""The entry point: --help everywhere, one-line usage errors with exit 2, `train`
forwarding to the training script, and the default export from any folder."""

from __future__ import annotations

import pytest
from toolkit_helpers import REPO, run_tool

from training.toolkit.cli import COMMANDS, main

OPTIONS = {
    "predict": ["--export", "--snapshot", "--json", "--show", "IMAGE"],
    "evaluate": ["--export", "--snapshot", "--all", "--data-dir"],
    "info": ["--export"],
    "report": ["--export", "--snapshot", "OUT_DIR"],
    "video": ["--export", "--fps", "--seconds", "--size", "OUT.mp4"],
    "onnx": ["--export", "--snapshot", "--data-dir", "OUT.onnx"],
}


def test_help_names_every_command():
    result = run_tool("--help")
    assert result.returncode == 0 and result.stderr == ""
    for command in COMMANDS:
        assert command in result.stdout
    assert "Exit status: 0 success, 1" in result.stdout


@pytest.mark.parametrize("command", sorted(OPTIONS))
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in OPTIONS[command]:
        assert option in out, (command, option)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name a command: predict, evaluate, info, report, video, onnx, train"),
        (["predcit"], "invalid choice: 'predcit'"),
        (["predict"], "the following arguments are required: IMAGE"),
        (["evaluate", "--all", "--snapshot", "ep1"], "not allowed with argument"),
        (["info", "--verbose"], "unrecognized arguments: --verbose"),
        (["report"], "the following arguments are required: OUT_DIR"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args, message, capsys):
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("training") and message in captured.err


def test_train_forwards_to_the_training_script():
    result = run_tool("train", "--help")
    assert result.returncode == 0
    assert "--epochs" in result.stdout and "--export-path" in result.stdout
    bad = run_tool("train", "--epochs", "0")
    assert bad.returncode == 2 and bad.stderr.startswith("mlp_train.py: error: --epochs must be at least 1")


def test_the_default_export_is_the_repositorys_from_any_folder(tmp_path):
    result = run_tool("info", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(REPO / "exports" / "mlp_weights.json") in result.stdout


def test_a_system_error_is_one_line_too(monkeypatch, capsys):
    import training.toolkit.info as info

    def full_disk(args):
        raise OSError(28, "No space left on device", "report/figure.png")

    monkeypatch.setattr(info, "info_command", full_disk)
    assert main(["info"]) == 1
    assert capsys.readouterr().err == "training info: error: report/figure.png: No space left on device\n"
