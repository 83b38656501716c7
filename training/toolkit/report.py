"""`report OUT_DIR`: the figures people put in slides and papers, each as PNG (of a stated
pixel size) and SVG, plus index.html and index.md showing them with one line each."""

from __future__ import annotations

import argparse
import html
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.toolkit import ui
from training.toolkit.atomic import atomic_folder, check_output_folder
from training.toolkit.reader import Export, open_export

DPI = 100
CLASS_COLOURS = [
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
]


@dataclass(frozen=True)
class Figure:
    name: str  # file stem: NAME.png and NAME.svg
    title: str
    description: str  # the one line the index shows
    size: tuple[int, int]  # PNG width, height in pixels
    draw: Callable  # draw(figure, export, entry)


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def images_axis(axis, export: Export) -> None:
    """The page's "images seen" axis: symlog, so the dense early timeline is readable."""
    first = next((entry["images_seen"] for entry in export.timeline if entry["images_seen"] > 0), 100)
    axis.set_xscale("symlog", linthresh=max(1, first))
    axis.set_xlim(0, max(export.timeline[-1]["images_seen"], 1) * 1.05)
    axis.set_xlabel("training images seen (symlog)")
    axis.grid(True, alpha=0.25)


def _epochs_label(export: Export) -> str:
    size = export.training.get("dataset", {}).get("train_size")
    return f" (1 epoch = {size:,} images)" if size else ""


def draw_curves(figure, export: Export, entry: dict) -> None:
    timeline = export.timeline
    seen = [item["images_seen"] for item in timeline]
    loss_axis, accuracy_axis = figure.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    history = export.manifest.get("loss_history", {})
    if history.get("loss"):
        loss_axis.plot(
            history["images_seen"], history["loss"], color="#9aa5b1", lw=1, label="training loss (per window)"
        )
    test_loss = [item.get("metrics", {}).get("test_loss", math.nan) for item in timeline]
    loss_axis.plot(seen, test_loss, "o-", color="#e15759", ms=4, lw=1.5, label="test loss (per snapshot)")
    loss_axis.set_yscale("log")
    loss_axis.set_ylabel("cross-entropy loss")
    loss_axis.legend(loc="upper right")
    loss_axis.grid(True, alpha=0.25)
    accuracy = [100 * item.get("metrics", {}).get("test_accuracy", math.nan) for item in timeline]
    accuracy_axis.plot(seen, accuracy, "o-", color="#4e79a7", ms=4, lw=1.5)
    accuracy_axis.set_ylabel("test accuracy (%)")
    accuracy_axis.set_ylim(0, 100)
    final = timeline[-1]
    accuracy_axis.annotate(
        f"{accuracy[-1]:.2f}% at {final.get('label', final['id'])}",
        (seen[-1], accuracy[-1]),
        xytext=(-10, -30),
        textcoords="offset points",
        ha="right",
        arrowprops={"arrowstyle": "-", "color": "#666"},
    )
    images_axis(loss_axis, export)
    images_axis(accuracy_axis, export)
    loss_axis.set_xlabel("")
    accuracy_axis.set_xlabel("training images seen (symlog)" + _epochs_label(export))
    figure.suptitle(f"Learning curves: {export.describe_architecture()}", fontsize=14)


def draw_per_class(figure, export: Export, entry: dict) -> None:
    axis = figure.subplots()
    seen = [item["images_seen"] for item in export.timeline]
    values = np.array(
        [item.get("metrics", {}).get("per_class_accuracy", [math.nan] * 10) for item in export.timeline], dtype=float
    )
    for digit in range(values.shape[1]):
        axis.plot(
            seen, 100 * values[:, digit], "-", color=CLASS_COLOURS[digit % 10], lw=1.8, label=export.class_names[digit]
        )
        axis.annotate(
            export.class_names[digit],
            (seen[-1], 100 * values[-1, digit]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            color=CLASS_COLOURS[digit % 10],
            fontsize=9,
        )
    axis.set_ylim(0, 101)
    axis.set_ylabel("test accuracy of the class (%)")
    images_axis(axis, export)
    axis.legend(title="digit", ncol=2, loc="lower right")
    figure.suptitle("Accuracy per digit over the timeline", fontsize=14)


def draw_confusion(figure, export: Export, entry: dict) -> None:
    axis = figure.subplots()
    matrix = np.array(entry["metrics"]["confusion"], dtype=float)
    totals = matrix.sum(axis=1, keepdims=True)
    share = matrix / np.maximum(totals, 1)
    axis.imshow(share, cmap="Blues", vmin=0, vmax=1)
    for row in range(matrix.shape[0]):
        for column in range(matrix.shape[1]):
            value = int(matrix[row, column])
            if value:
                colour = "white" if share[row, column] > 0.5 else "#222"
                axis.text(column, row, str(value), ha="center", va="center", fontsize=10, color=colour)
    axis.set_xticks(range(matrix.shape[1]), export.class_names)
    axis.set_yticks(range(matrix.shape[0]), export.class_names)
    axis.set_xlabel("predicted digit")
    axis.set_ylabel("true digit")
    accuracy = entry["metrics"].get("test_accuracy", math.nan)
    axis.set_title(
        f"Confusion matrix at {entry.get('label', entry['id'])}: {100 * accuracy:.2f}% of 10,000 test digits right",
        fontsize=12,
    )


def draw_mistakes(figure, export: Export, entry: dict) -> None:
    """One picture of 28×28 tiles (much faster than a subplot each), a caption above each."""
    mistakes = entry.get("metrics", {}).get("mistakes", [])
    gallery = export.digits("gallery") if mistakes and "gallery" in export.manifest else None
    columns = 8
    rows = max(1, math.ceil(len(mistakes) / columns))
    tile, caption = 28, 12  # pixels of a digit, and of the caption band above it
    mosaic = np.zeros((rows * (tile + caption), columns * (tile + 4)))
    axis = figure.subplots()
    names = export.class_names
    for index, mistake in enumerate(mistakes):
        top = (index // columns) * (tile + caption) + caption
        left = (index % columns) * (tile + 4) + 2
        if gallery is not None and "gallery_index" in mistake:
            mosaic[top : top + tile, left : left + tile] = gallery.images[mistake["gallery_index"]] / 255.0
        axis.text(
            left + tile / 2,
            top - 2,
            f"{names[mistake['label']]} → {names[mistake['predicted']]}  {100 * mistake['confidence']:.0f}%",
            ha="center",
            va="bottom",
            fontsize=11,
        )
    axis.imshow(mosaic, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
    axis.axis("off")
    if not mistakes:
        axis.text(0, 0.5, "no mistakes listed at this snapshot", fontsize=14, transform=axis.transAxes)
    figure.suptitle(
        f"The {len(mistakes)} most confident mistakes at {entry.get('label', entry['id'])} "
        "(true → predicted, confidence of the wrong answer)",
        fontsize=13,
    )


def grid_columns(count: int, aspect: float) -> int:
    """Columns of a grid for `count` tiles: close to the aspect ratio, few empty cells."""

    def cost(columns: int) -> float:
        rows = math.ceil(count / columns)
        return abs(math.log(columns / rows / aspect)) + (rows * columns - count) / count

    return min(range(1, count + 1), key=cost)


def draw_weights(figure, export: Export, entry: dict) -> None:
    weights = export.network(entry).first_layer_weights().numpy()
    if weights.ndim == 2 and weights.shape[1] == 784:  # MLP: each hidden unit's 784 weights as a 28×28 image
        images = weights.reshape(-1, 28, 28)
        what = f"each of the {len(images)} hidden units' 784 incoming weights as a 28×28 image"
    else:  # CNN: every kernel of the first convolution, one per (output, input) channel pair
        images = weights.reshape(-1, weights.shape[-2], weights.shape[-1])
        what = f"the {len(images)} kernels ({weights.shape[-2]}×{weights.shape[-1]}) of the first convolution"
    count = len(images)
    columns = grid_columns(count, aspect=1.6)
    rows = math.ceil(count / columns)
    height, width = images.shape[1:]
    gap = max(1, height // 7)
    mosaic = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), np.nan)
    for index, image in enumerate(images):  # one picture, each tile scaled to its own largest |weight|
        top, left = (index // columns) * (height + gap), (index % columns) * (width + gap)
        mosaic[top : top + height, left : left + width] = image / (float(np.abs(image).max()) or 1.0)
    colours = _plt().get_cmap("RdBu_r").with_extremes(bad="white")
    axis = figure.subplots()
    axis.imshow(mosaic, cmap=colours, vmin=-1, vmax=1, interpolation="nearest")
    axis.axis("off")
    figure.suptitle(
        f"First-layer weights at {entry.get('label', entry['id'])}: {what} (red positive, blue negative)", fontsize=13
    )


def latent_moments(export: Export) -> list[dict]:
    """Four moments of the timeline: the start, then three points spread on a log scale of
    images seen (last / 1000, last / 30, last), without repeats."""
    timeline = export.timeline
    last = timeline[-1]["images_seen"]
    picks = [0]
    for target in (last / 1000, last / 30, last):
        candidates = [i for i, entry in enumerate(timeline) if entry["images_seen"] > 0]
        if not candidates:
            break
        best = min(candidates, key=lambda i: abs(math.log(timeline[i]["images_seen"] / max(target, 1))))
        if best not in picks:
            picks.append(best)
    if len(picks) < 4:
        picks = sorted(set(picks) | set(np.linspace(0, len(timeline) - 1, min(4, len(timeline))).round().astype(int)))
    return [timeline[i] for i in sorted(picks)[:4]]


def draw_latent(figure, export: Export, entry: dict) -> None:
    from matplotlib.lines import Line2D

    probe = export.digits("probe")
    moments = latent_moments(export)
    axes = figure.subplots(1, len(moments), squeeze=False)[0]
    for axis, moment in zip(axes, moments):
        coords = export.latent_coords(moment)
        axis.scatter(coords[:, 0], coords[:, 1], s=6, c=[CLASS_COLOURS[label % 10] for label in probe.labels], lw=0)
        axis.set_xlim(-1.1, 1.1)
        axis.set_ylim(-1.1, 1.1)
        axis.set_aspect("equal")
        axis.set_xticks([])
        axis.set_yticks([])
        accuracy = moment.get("metrics", {}).get("test_accuracy")
        suffix = f" · {100 * accuracy:.1f}%" if accuracy is not None else ""
        axis.set_title(f"{moment.get('label', moment['id'])}{suffix}", fontsize=12)
    handles = [
        Line2D([], [], marker="o", ls="", color=CLASS_COLOURS[i % 10], label=name)
        for i, name in enumerate(export.class_names)
    ]
    figure.legend(handles=handles, loc="lower center", ncol=10, frameon=False, title="probe digits by true class")
    figure.suptitle(
        f"The latent map: {len(probe.labels):,} test digits placed by the last hidden layer (2D PCA, aligned in time)",
        fontsize=13,
    )


FIGURES = [
    Figure(
        "learning-curves",
        "Learning curves",
        "training loss per step window and test loss / accuracy per snapshot, on an images-seen axis",
        (1600, 900),
        draw_curves,
    ),
    Figure(
        "per-class-accuracy",
        "Accuracy per digit",
        "test accuracy of each digit class over the whole timeline",
        (1600, 900),
        draw_per_class,
    ),
    Figure(
        "confusion-matrix",
        "Confusion matrix",
        "true digit (rows) against predicted digit (columns) on the 10,000 test digits, with counts",
        (1000, 1000),
        draw_confusion,
    ),
    Figure(
        "mistakes",
        "Most confident mistakes",
        "the test digits the network got wrong with the most confidence, captioned true → predicted",
        (1600, 1000),
        draw_mistakes,
    ),
    Figure(
        "first-layer-weights",
        "What the first layer looks for",
        "the first layer's weights as images: 28×28 per hidden unit (MLP) or the kernels (CNN)",
        (1600, 1000),
        draw_weights,
    ),
    Figure(
        "latent-map",
        "The latent map at four moments",
        "1,000 probe test digits placed by the last hidden layer at the start, early, midway and the end",
        (1800, 600),
        draw_latent,
    ),
]


def render(figure_spec: Figure, export: Export, entry: dict, folder: Path) -> None:
    plt = _plt()
    width, height = figure_spec.size
    figure = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    try:
        figure_spec.draw(figure, export, entry)
        figure.savefig(folder / f"{figure_spec.name}.png", format="png", dpi=DPI)
        figure.savefig(folder / f"{figure_spec.name}.svg", format="svg")
    finally:
        plt.close(figure)


def index_markdown(export: Export, entry: dict) -> str:
    lines = [
        f"# Report: {export.describe_architecture()}",
        "",
        f"Export `{export.path.name}`, snapshot `{entry['id']}` ({entry.get('label', '')}) for the confusion matrix, "
        "mistakes and weights. Made with `python -m training report`.",
        "",
    ]
    for spec in FIGURES:
        width, height = spec.size
        lines += [
            f"## {spec.title}",
            "",
            f"{spec.description}. [PNG]({spec.name}.png) ({width}×{height}) · [SVG]({spec.name}.svg)",
            "",
            f"![{spec.title}]({spec.name}.png)",
            "",
        ]
    return "\n".join(lines)


def index_html(export: Export, entry: dict) -> str:
    title = html.escape(f"Report: {export.describe_architecture()}")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title>",
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}"
        "img{max-width:100%;height:auto;border:1px solid #ddd}h2{margin-top:2em}</style>",
        "</head><body>",
        f"<h1>{title}</h1>",
        f"<p>Export <code>{html.escape(export.path.name)}</code>, snapshot <code>{html.escape(entry['id'])}</code> "
        f"({html.escape(entry.get('label', ''))}) for the confusion matrix, mistakes and weights. "
        "Made with <code>python -m training report</code>.</p>",
    ]
    for spec in FIGURES:
        width, height = spec.size
        parts += [
            f'<section id="{spec.name}"><h2>{html.escape(spec.title)}</h2>',
            f"<p>{html.escape(spec.description)}. "
            f'<a href="{spec.name}.png">PNG</a> ({width}×{height}) · <a href="{spec.name}.svg">SVG</a></p>',
            f'<img src="{spec.name}.png" width="{width}" height="{height}" alt="{html.escape(spec.title)}">',
            "</section>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def report_command(args: argparse.Namespace) -> int:
    check_output_folder(args.out_dir)
    export = open_export(args.export)
    entry = export.snapshot(args.snapshot)
    with atomic_folder(args.out_dir) as folder:
        for spec in ui.progress(FIGURES, len(FIGURES), "drawing figures"):
            render(spec, export, entry, folder)
        (folder / "index.md").write_text(index_markdown(export, entry), encoding="utf-8")
        (folder / "index.html").write_text(index_html(export, entry), encoding="utf-8")
    ui.out.print(f"[green]✓[/] report in {ui.shown_path(args.out_dir)}/ ({len(FIGURES)} figures, PNG + SVG):")
    for spec in FIGURES:
        width, height = spec.size
        ui.out.print(f"  {spec.name}.png  {width}×{height}  {spec.description}", markup=False)
    ui.out.print("  index.html, index.md  every figure with one line of what it shows", markup=False)
    return 0
