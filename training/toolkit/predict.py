"""`predict IMAGE…`: classify image files with a snapshot's network, preprocessed as the
page preprocesses a drawing (training/toolkit/preprocess.py)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from rich.table import Table

from training.toolkit import ui
from training.toolkit.atomic import atomic_file, check_output_file
from training.toolkit.errors import FAILED, ToolError
from training.toolkit.preprocess import ImageProblem, normalise, prepare_file
from training.toolkit.reader import Export, open_export

MAX_SHOWN = 24  # rows of the --show picture


@dataclass
class Result:
    path: Path
    grey: np.ndarray | None = None  # the file's brightness as loaded
    seen: np.ndarray | None = None  # 28×28, 0..1: what the network is fed (before normalisation)
    probabilities: np.ndarray | None = None
    error: str | None = None

    @property
    def prediction(self) -> int:
        return int(np.argmax(self.probabilities))


def classify(export: Export, entry: dict, paths: list[Path], keep_images: int = 0) -> list[Result]:
    """Every file preprocessed and classified; a bad file's Result carries its error. The
    loaded images (for --show) are kept for the first `keep_images` good files only: a
    thousand phone photos would not fit in memory."""
    network = export.network(entry)
    results = []
    kept = 0
    for path in ui.progress(paths, len(paths), "preprocessing"):
        try:
            grey, seen = prepare_file(path)
            results.append(Result(path, grey if kept < keep_images else None, seen))
            kept += 1
        except ImageProblem as problem:
            results.append(Result(path, error=problem.message))
    good = [result for result in results if result.error is None]
    if good:
        inputs = normalise(np.stack([result.seen for result in good]), export.input.mean, export.input.std)
        logits = network.logits(torch.from_numpy(inputs))
        probabilities = torch.softmax(logits.double(), dim=1).numpy()
        for result, row in zip(good, probabilities):
            result.probabilities = row
    return results


def predict_command(args: argparse.Namespace) -> int:
    if args.show is not None:
        check_output_file(args.show, ".png")
    export = open_export(args.export)
    entry = export.snapshot(args.snapshot)
    results = classify(export, entry, list(args.images), MAX_SHOWN if args.show is not None else 0)
    for result in results:
        if result.error:
            ui.error_line("predict", result.error)
    if args.json:
        for result in results:
            if result.error:
                record = {"file": str(result.path), "error": result.error}
            else:
                record = {
                    "file": str(result.path),
                    "prediction": result.prediction,
                    "probabilities": [round(float(p), 6) for p in result.probabilities],
                }
            print(json.dumps(record), flush=False)
    else:
        print_table(export, entry, results)
    good = [result for result in results if result.error is None]
    if args.show is not None:
        if not good:
            raise ToolError(f"{args.show}: not written, no file could be predicted")
        save_picture(args.show, export, entry, good)
        if not args.json:
            shown = f" (the first {MAX_SHOWN})" if len(good) > MAX_SHOWN else ""
            ui.out.print(f"picture{shown}: {ui.shown_path(args.show)}")
    return FAILED if len(good) < len(results) else 0


def print_table(export: Export, entry: dict, results: list[Result]) -> None:
    table = Table(title=f"{export.describe_architecture()} at {entry['id']} ({entry.get('label', entry['id'])})")
    table.add_column("file", overflow="fold")
    table.add_column("digit", justify="center", style="bold")
    for rank in ("1st", "2nd", "3rd"):
        table.add_column(rank, justify="right")
    for result in results:
        if result.error:
            table.add_row(str(result.path), "[red]–", "[red]error", "", "")
            continue
        order = np.argsort(-result.probabilities, kind="stable")[:3]
        cells = [f"{export.class_names[i]}  {ui.percent(result.probabilities[i], 1)}" for i in order]
        table.add_row(str(result.path), export.class_names[order[0]], *cells)
    ui.out.print(table)


def save_picture(path: Path, export: Export, entry: dict, results: list[Result]) -> None:
    """One row per file: the image as loaded, the 28×28 the network sees, the probabilities."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    rows = [result for result in results if result.grey is not None][:MAX_SHOWN]
    figure, axes = plt.subplots(
        len(rows), 3, figsize=(9, 2.2 * len(rows)), gridspec_kw={"width_ratios": [1, 1, 2.2]}, squeeze=False
    )
    for (image_axis, seen_axis, bars_axis), result in zip(axes, rows):
        image_axis.imshow(_thumbnail(result.grey), cmap="gray", vmin=0, vmax=1, interpolation="lanczos")
        image_axis.set_title(_ellipsis(result.path.name, 28), fontsize=9)
        seen_axis.imshow(result.seen, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        seen_axis.set_title("network input, 28×28", fontsize=9)
        for axis in (image_axis, seen_axis):
            axis.set_xticks([])
            axis.set_yticks([])
        colours = ["#f28e2b" if i == result.prediction else "#9aa5b1" for i in range(10)]
        bars_axis.bar(range(10), result.probabilities, color=colours)
        bars_axis.set_xticks(range(10), export.class_names)
        bars_axis.set_ylim(0, 1)
        bars_axis.set_title(
            f"prediction {export.class_names[result.prediction]} "
            f"({ui.percent(result.probabilities[result.prediction], 1)})",
            fontsize=9,
        )
        bars_axis.spines[["top", "right"]].set_visible(False)
    figure.suptitle(f"{export.describe_architecture()} · snapshot {entry['id']}", fontsize=10)
    figure.tight_layout()
    with atomic_file(path) as temp:
        figure.savefig(temp, format="png", dpi=100)
    plt.close(figure)


def _thumbnail(grey: np.ndarray, side: int = 320) -> np.ndarray:
    """A large photo shrunk for its row of the picture (drawing 12 MP through imshow is slow)."""
    if max(grey.shape) <= side:
        return grey
    from PIL import Image

    image = Image.fromarray((grey * 255).astype(np.uint8))
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    return np.asarray(image, dtype=float) / 255


def _ellipsis(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
