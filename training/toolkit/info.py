"""`info`: what an export holds — architecture and parameter counts, how it was trained,
the timeline at a glance and the size of every file."""

from __future__ import annotations

import argparse

import numpy as np
import torch
from rich.table import Table

from training.toolkit import ui
from training.toolkit.errors import FAILED, ToolError
from training.toolkit.reader import Export, open_export, parameter_count

GLANCE_POINTS = 6


def info_command(args: argparse.Namespace) -> int:
    export = open_export(args.export)
    problems = []
    ui.out.print(_overview(export))
    try:
        ui.out.print(_architecture(export))
    except ToolError as error:
        problems.append(error.message)
    ui.out.print(_training(export))
    ui.out.print(_timeline(export))
    files, missing = _files(export)
    ui.out.print(files)
    problems += missing
    for problem in problems:
        ui.error_line("info", problem)
    return FAILED if problems else 0


def _key_value(title: str, rows: list[tuple[str, str]]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for key, value in rows:
        table.add_row(key, value)
    return table


def _overview(export: Export) -> Table:
    return _key_value(
        "Export",
        [
            ("manifest", ui.shown_path(export.path)),
            ("format", f"{export.manifest['format']}, version {export.version}"),
            ("created", str(export.manifest.get("created_utc", "?"))),
            ("model", export.describe_architecture()),
            (
                "input",
                f"{'×'.join(map(str, export.model['input'].get('shape', [28, 28])))} pixels / "
                f"{export.input.scale:g}, normalised (x − {export.input.mean}) / {export.input.std}",
            ),
            ("classes", " ".join(export.class_names)),
            ("weights", f"{export.model.get('tensor_dtype', 'F16')} (run in float32)"),
        ],
    )


def _architecture(export: Export) -> Table:
    network = export.network(export.timeline[-1])
    table = Table(title="Architecture", title_justify="left")
    for column in ("#", "layer", "output shape", "parameters"):
        table.add_column(column, justify="right" if column in ("#", "parameters") else "left")
    shape = torch.zeros(1, 784)
    with torch.no_grad():
        for index, module in enumerate(network.model):
            shape = module(shape)
            count = parameter_count(module)
            table.add_row(
                str(index), describe_module(module), "×".join(map(str, shape.shape[1:])), f"{count:,}" if count else ""
            )
    total = parameter_count(network.model)
    claimed = export.model.get("parameter_count")
    note = "" if claimed in (None, total) else f" (the manifest says {claimed:,})"
    table.add_row("", "[bold]total", "", f"[bold]{total:,}{note}")
    if claimed not in (None, total):
        raise ToolError(f"parameter count: the snapshot files hold {total:,}, the manifest says {claimed:,}")
    return table


def describe_module(module: torch.nn.Module) -> str:
    if isinstance(module, torch.nn.Linear):
        return f"linear {module.in_features} → {module.out_features}"
    if isinstance(module, torch.nn.Conv2d):
        (height, width), (stride, _), (padding, _) = module.kernel_size, module.stride, module.padding
        return (
            f"conv2d {module.in_channels} → {module.out_channels}, {height}×{width}, stride {stride}, padding {padding}"
        )
    if isinstance(module, torch.nn.MaxPool2d):
        (height, width), (stride, _) = _two(module.kernel_size), _two(module.stride)
        return f"maxpool {height}×{width}, stride {stride}"
    if isinstance(module, torch.nn.Unflatten):
        return f"reshape to {'×'.join(map(str, module.unflattened_size))}"
    return type(module).__name__.lower()


def _two(value) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value, value)


def _training(export: Export) -> Table:
    training = export.training
    rows = [(f"--{key.replace('_', '-')}", _value(value)) for key, value in training.get("config", {}).items()]
    if "device" in training:
        rows.append(("device used", f"{training['device']}, {training.get('threads', '?')} threads"))
    if "optimizer" in training:
        rows.append(("optimiser", _value(training["optimizer"])))
    if "duration_seconds" in training:
        rows.append(("duration", f"{training['duration_seconds']:.1f} s (training, scoring and writing)"))
    if "dataset" in training:
        dataset = training["dataset"]
        rows.append(
            (
                "dataset",
                f"{dataset.get('name')}: {dataset.get('train_size'):,} train, {dataset.get('test_size'):,} test",
            )
        )
    for name, version in training.get("versions", {}).items():
        rows.append((name, str(version)))
    rows.append(("completed", "yes" if training.get("completed") else f"no: {training.get('stopped_early_note')}"))
    return _key_value("How it was trained", rows)


def _value(value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key} {_value(item)}" for key, item in value.items())
    if isinstance(value, list):
        return " ".join(map(str, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def glance_indices(count: int, points: int = GLANCE_POINTS) -> list[int]:
    return sorted(set(np.linspace(0, count - 1, min(points, count)).round().astype(int).tolist()))


def _timeline(export: Export) -> Table:
    timeline = export.timeline
    first, last = timeline[0], timeline[-1]
    table = Table(
        title=f"Timeline: {len(timeline)} snapshot{'s' if len(timeline) != 1 else ''}, "
        f"{first['images_seen']:,} → {last['images_seen']:,} images seen",
        title_justify="left",
    )
    for column in ("#", "id", "label", "images seen", "test accuracy", "test loss"):
        table.add_column(column, justify="left" if column in ("id", "label") else "right")
    for index in glance_indices(len(timeline)):
        entry = timeline[index]
        metrics = entry.get("metrics", {})
        table.add_row(
            str(index),
            entry["id"],
            entry.get("label", ""),
            f"{entry['images_seen']:,}",
            ui.percent(metrics["test_accuracy"]) if "test_accuracy" in metrics else "?",
            f"{metrics['test_loss']:.4f}" if "test_loss" in metrics else "?",
        )
    history = export.manifest.get("loss_history", {}).get("loss", [])
    table.caption = f"training loss recorded at {len(history):,} points" if history else "no training loss recorded"
    return table


def _files(export: Export) -> tuple[Table, list[str]]:
    table = Table(title="Files", title_justify="left")
    for column in ("file", "count", "size", "on disk"):
        table.add_column(column, justify="left" if column == "file" else "right")
    missing = []
    groups = [("manifest", [{"file": export.path.name, "bytes": export.path.stat().st_size}])]
    groups.append(("snapshots", export.timeline))
    for name in ("probe", "gallery"):
        if name in export.manifest:
            groups.append((name, [export.manifest[name]]))
    total = 0
    for name, described in groups:
        size = sum(int(item.get("bytes", 0)) for item in described)
        absent = [item for item in described if not export.file_path(item).is_file()]
        missing += [f"{export.file_path(item)}: missing (listed in {export.path.name})" for item in absent]
        shown = described[0]["file"] if len(described) == 1 else f"{export.path.stem}/NNN_<id>.safetensors"
        table.add_row(f"{name}: {shown}", str(len(described)), ui.human_bytes(size), "[red]missing" if absent else "✓")
        total += size
    table.add_row("[bold]total", "", f"[bold]{ui.human_bytes(total)}", "")
    return table, missing
