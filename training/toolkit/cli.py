"""`python -m training <command>`: one entry point for the commands on an export.

Exit status: 0 success, 1 a failed check or a missing/broken file, 2 bad usage. Every
error is one line on stderr (`training <command>: error: …`), never a traceback."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.toolkit.errors import ToolError, UsageError
from training.toolkit.paths import DEFAULT_DATA_DIR, DEFAULT_EXPORT, REPO

PROG = "python -m training"
COMMANDS = {
    "predict": "classify image files (PNG/JPEG: photos, scans, drawings, MNIST digits)",
    "evaluate": "recompute a snapshot's test-set metrics from its file and check the manifest's",
    "info": "architecture, parameters, how it was trained, the timeline, file sizes",
    "report": "figures for slides and papers (PNG + SVG) with an index page",
    "video": "the training timeline as an MP4 dashboard animation",
    "onnx": "the network of a snapshot as ONNX, checked with onnxruntime",
    "train": "train and export (the same as python training/mlp_train.py; --help for its flags)",
}


class OneLineParser(argparse.ArgumentParser):
    """argparse prints usage plus the error; the contract is a single line and exit 2."""

    def error(self, message: str):
        raise UsageError(message)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _default_export_text() -> str:
    try:
        return str(DEFAULT_EXPORT.relative_to(Path.cwd()))
    except ValueError:
        return str(DEFAULT_EXPORT)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: '{text}'") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def frame_size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not WIDTHxHEIGHT, e.g. 1280x720") from None
    if width % 2 or height % 2:
        raise argparse.ArgumentTypeError(f"{width}x{height}: H.264 (yuv420p) needs even width and height")
    if not (320 <= width <= 3840 and 240 <= height <= 2160):
        raise argparse.ArgumentTypeError(f"{width}x{height}: from 320x240 to 3840x2160")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog=PROG,
        description="Commands on an export (the manifest written by training/mlp_train.py and its snapshot files).",
        epilog="Exit status: 0 success, 1 a failed check or a missing or broken file, 2 bad usage. "
        f"The default export is the repository's own: {DEFAULT_EXPORT.relative_to(REPO)} "
        "(next to the training package, wherever the command runs); --export names another manifest, "
        "relative to the current folder.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)

    common = OneLineParser(add_help=False)
    common.add_argument(
        "--export",
        type=Path,
        default=None,
        metavar="MANIFEST",
        help=f"the export's .json manifest (default: {_default_export_text()})",
    )

    def snapshot_option(command: argparse.ArgumentParser, what: str) -> None:
        command.add_argument(
            "--snapshot", metavar="ID", help=f"{what} (a timeline id: init, img2000, ep1, …; default: the last)"
        )

    def data_option(command: argparse.ArgumentParser) -> None:
        command.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="folder of the MNIST IDX files, .gz or not; missing test files are downloaded "
            "(default: %(default)s, as training/mlp_train.py)",
        )

    predict = commands.add_parser(
        "predict", parents=[common], help=COMMANDS["predict"], description=_sentence(COMMANDS["predict"])
    )
    predict.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="PNG or JPEG files, any size")
    snapshot_option(predict, "the network of this snapshot")
    predict.add_argument(
        "--json",
        action="store_true",
        help='one JSON object per line and file: {"file", "prediction", "probabilities"} or {"file", "error"}',
    )
    predict.add_argument(
        "--show", type=Path, metavar="OUT.png", help="save a picture: the input, what the network sees, probabilities"
    )

    evaluate = commands.add_parser(
        "evaluate", parents=[common], help=COMMANDS["evaluate"], description=_sentence(COMMANDS["evaluate"])
    )
    which = evaluate.add_mutually_exclusive_group()
    which.add_argument("--snapshot", metavar="ID", help="the snapshot to check (default: the last)")
    which.add_argument("--all", action="store_true", help="check every snapshot of the timeline")
    data_option(evaluate)

    commands.add_parser("info", parents=[common], help=COMMANDS["info"], description=_sentence(COMMANDS["info"]))

    report = commands.add_parser(
        "report", parents=[common], help=COMMANDS["report"], description=_sentence(COMMANDS["report"])
    )
    report.add_argument(
        "out_dir", type=Path, metavar="OUT_DIR", help="a new or empty folder, or an earlier report (replaced)"
    )
    snapshot_option(report, "the snapshot of the confusion matrix, mistakes and weights")

    video = commands.add_parser(
        "video", parents=[common], help=COMMANDS["video"], description=_sentence(COMMANDS["video"])
    )
    video.add_argument("out", type=Path, metavar="OUT.mp4", help="the MP4 file to write (H.264, yuv420p)")
    video.add_argument("--fps", type=positive_int, default=30, help="frames per second (default %(default)s)")
    video.add_argument("--seconds", type=positive_float, default=20.0, help="length of the video (default %(default)s)")
    video.add_argument(
        "--size", type=frame_size, default=(1280, 720), metavar="WxH", help="frame size, even (default 1280x720)"
    )

    onnx = commands.add_parser("onnx", parents=[common], help=COMMANDS["onnx"], description=_sentence(COMMANDS["onnx"]))
    onnx.add_argument("out", type=Path, metavar="OUT.onnx", help="the ONNX file to write")
    snapshot_option(onnx, "the network of this snapshot")
    data_option(onnx)

    commands.add_parser("train", help=COMMANDS["train"], add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "train":
        from training.mlp_train import main as train_main

        return train_main(argv[1:])
    command = next((arg for arg in argv if arg in COMMANDS), None)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            raise UsageError(f"name a command: {', '.join(COMMANDS)} (python -m training --help)")
        return run(args)
    except ToolError as error:
        name = f"training {command}" if command else "training"
        print(f"{name}: error: {error.message}", file=sys.stderr)
        return error.code
    except OSError as error:  # a full disk, a vanished folder…: still one line, no traceback
        name = f"training {command}" if command else "training"
        where = f"{error.filename}: " if getattr(error, "filename", None) else ""
        print(f"{name}: error: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("training: interrupted; nothing half-written was left behind", file=sys.stderr)
        return 130


def run(args: argparse.Namespace) -> int:
    if args.command == "predict":
        from training.toolkit.predict import predict_command

        return predict_command(args)
    if args.command == "evaluate":
        from training.toolkit.evaluate import evaluate_command

        return evaluate_command(args)
    if args.command == "info":
        from training.toolkit.info import info_command

        return info_command(args)
    if args.command == "report":
        from training.toolkit.report import report_command

        return report_command(args)
    if args.command == "video":
        from training.toolkit.video import video_command

        return video_command(args)
    from training.toolkit.onnx_export import onnx_command

    return onnx_command(args)
