"""`evaluate`: recompute a snapshot's metrics from its float16 file on the MNIST test set
and compare them with what the manifest claims (docs/export-format.md, `metrics`)."""

from __future__ import annotations

import argparse

import torch
from rich.table import Table
from torch.nn import functional as F

from training.toolkit import ui
from training.toolkit.errors import FAILED
from training.toolkit.mnist import TestSet, load_test_set
from training.toolkit.reader import Export, open_export

LOSS_TOLERANCE = 1e-5  # the manifest rounds to 6 decimals; float32 sums may differ in the last place
CONFIDENCE_TOLERANCE = 1e-5
MAX_MISTAKES = 40


@torch.no_grad()
def compute_metrics(logits: torch.Tensor, labels: torch.Tensor, classes: int = 10) -> dict:
    """The manifest's `metrics`, computed as the exporter computes them (training/metrics.py)."""
    loss = F.cross_entropy(logits, labels).item()
    probabilities = torch.softmax(logits.double(), dim=1)
    confidence, predicted = probabilities.max(dim=1)
    confusion = torch.bincount(labels * classes + predicted, minlength=classes**2).reshape(classes, classes)
    per_class = confusion.diagonal().double() / confusion.sum(dim=1).clamp(min=1)
    wrong = torch.nonzero(predicted != labels).flatten()
    order = torch.sort(confidence[wrong], descending=True, stable=True).indices[:MAX_MISTAKES]
    return {
        "test_loss": round(loss, 6),
        "test_accuracy": round(confusion.diagonal().sum().item() / len(labels), 6),
        "per_class_accuracy": [round(value, 6) for value in per_class.tolist()],
        "confusion": confusion.tolist(),
        "mistakes": [
            {
                "test_index": int(index),
                "label": int(labels[index]),
                "predicted": int(predicted[index]),
                "confidence": round(float(confidence[index]), 6),
            }
            for index in wrong[order].tolist()
        ],
    }


def recompute(export: Export, entry: dict, inputs: torch.Tensor, labels: torch.Tensor) -> dict:
    """The metrics of the float16 network in the snapshot's file on the whole test set
    (one batch, as the exporter scores it, so the float32 sums agree)."""
    network = export.network(entry)
    return compute_metrics(network.logits(inputs), labels, len(export.class_names))


def compare(claimed: dict, actual: dict) -> list[tuple[str, str, str, bool]]:
    """(what, manifest, recomputed, equal) for every metric the manifest states."""
    rows = []
    if "test_accuracy" in claimed:
        rows.append(
            (
                "test accuracy",
                ui.percent(claimed["test_accuracy"], 4),
                ui.percent(actual["test_accuracy"], 4),
                claimed["test_accuracy"] == actual["test_accuracy"],
            )
        )
    if "test_loss" in claimed:
        rows.append(
            (
                "test loss",
                f"{claimed['test_loss']:.6f}",
                f"{actual['test_loss']:.6f}",
                abs(claimed["test_loss"] - actual["test_loss"]) <= LOSS_TOLERANCE,
            )
        )
    for digit, (want, got) in enumerate(zip(claimed.get("per_class_accuracy", []), actual["per_class_accuracy"])):
        rows.append((f"accuracy on {digit}s", ui.percent(want, 2), ui.percent(got, 2), want == got))
    if "per_class_accuracy" in claimed and len(claimed["per_class_accuracy"]) != len(actual["per_class_accuracy"]):
        rows.append(("per-class accuracy", f"{len(claimed['per_class_accuracy'])} classes", "10 classes", False))
    if "confusion" in claimed:
        differing = _differing_cells(claimed["confusion"], actual["confusion"])
        rows.append(("confusion matrix", "100 cells", f"{differing} differ" if differing else "equal", not differing))
    if "mistakes" in claimed:
        equal = _same_mistakes(claimed["mistakes"], actual["mistakes"])
        listed = f"{len(claimed['mistakes'])} listed"
        rows.append(("most confident mistakes", listed, "equal" if equal else "differ", equal))
    return rows


def _differing_cells(claimed, actual) -> int:
    try:
        if len(claimed) != len(actual) or any(len(row) != len(actual[0]) for row in claimed):
            return len(actual) * len(actual[0])
        return sum(a != b for want, got in zip(claimed, actual) for a, b in zip(want, got))
    except TypeError:
        return len(actual) * len(actual[0])


def _same_mistakes(claimed: list, actual: list) -> bool:
    if len(claimed) != len(actual):
        return False
    for want, got in zip(claimed, actual):
        try:
            keys_equal = all(want[key] == got[key] for key in ("test_index", "label", "predicted"))
            if not keys_equal or abs(want["confidence"] - got["confidence"]) > CONFIDENCE_TOLERANCE:
                return False
        except (KeyError, TypeError):
            return False
    return True


def evaluate_command(args: argparse.Namespace) -> int:
    export = open_export(args.export)
    entries = export.timeline if args.all else [export.snapshot(args.snapshot)]
    test_set: TestSet = load_test_set(args.data_dir)
    inputs, labels = test_set.normalised(export.input), test_set.label_tensor()
    failures = 0
    summary = []
    for entry in ui.progress(entries, len(entries), "scoring snapshots"):
        actual = recompute(export, entry, inputs, labels)
        rows = compare(entry.get("metrics", {}), actual)
        for what, want, got, equal in rows:
            if not equal:
                failures += 1
                ui.error_line("evaluate", f"{entry['id']}: {what}: the manifest says {want}, recomputed {got}")
        if not rows:
            failures += 1
            ui.error_line("evaluate", f"{entry['id']}: the manifest states no metrics to check")
        summary.append((entry, actual, rows))
    if args.all:
        _print_all(export, summary)
    else:
        _print_one(export, *summary[0])
    if failures:
        return FAILED
    ui.out.print(f"[green]✓[/] the manifest's metrics match the snapshot files ({len(entries)} checked)")
    return 0


def _print_one(export: Export, entry: dict, actual: dict, rows) -> None:
    title = f"{export.describe_architecture()} at {entry['id']} ({entry.get('label', '')}) on 10,000 test digits"
    table = Table(title=title)
    for column, justify in (("metric", "left"), ("manifest", "right"), ("recomputed", "right"), ("", "center")):
        table.add_column(column, justify=justify)
    for what, want, got, equal in rows:
        table.add_row(what, want, got, "[green]✓" if equal else "[red]✗")
    ui.out.print(table)
    confusion = Table(title="confusion matrix (recomputed): row = true digit, column = predicted")
    confusion.add_column("")
    for name in export.class_names:
        confusion.add_column(name, justify="right")
    for i, (name, row) in enumerate(zip(export.class_names, actual["confusion"])):
        confusion.add_row(name, *(f"[bold]{value}" if i == j else str(value) for j, value in enumerate(row)))
    ui.out.print(confusion)


def _print_all(export: Export, summary) -> None:
    table = Table(title=f"{export.describe_architecture()}: every snapshot on 10,000 test digits")
    for column in ("id", "label", "accuracy", "loss", ""):
        table.add_column(column, justify="left" if column in ("id", "label") else "right")
    for entry, actual, rows in summary:
        equal = bool(rows) and all(row[3] for row in rows)
        table.add_row(
            entry["id"],
            entry.get("label", ""),
            ui.percent(actual["test_accuracy"]),
            f"{actual['test_loss']:.4f}",
            "[green]✓" if equal else "[red]✗",
        )
    ui.out.print(table)
