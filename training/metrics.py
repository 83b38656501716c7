"""Test-set metrics at a snapshot: loss, accuracy, per-class accuracy, confusion matrix
and the most confidently wrong digits (for the page's mistakes gallery)."""

from __future__ import annotations

import torch
from torch.nn import functional as F

from training.layers import NUM_CLASSES

MAX_MISTAKES = 40


@torch.no_grad()
def evaluate(logits: torch.Tensor, labels: torch.Tensor) -> dict:
    """The manifest's `metrics` from the test set's logits [n, 10] and labels (int64 [n])."""
    loss, accuracy, per_class, confusion, predicted, confidence = _scores(logits, labels)
    return {
        "test_loss": loss,
        "test_accuracy": accuracy,
        "per_class_accuracy": per_class,
        "confusion": confusion.tolist(),
        "mistakes": _most_confident_mistakes(labels, predicted, confidence),
    }


@torch.no_grad()
def evaluate_validation(logits: torch.Tensor, labels: torch.Tensor) -> dict:
    """The validation metrics a snapshot's `metrics` gain with --val-size."""
    loss, accuracy, per_class, *_ = _scores(logits, labels)
    return {"val_loss": loss, "val_accuracy": accuracy, "val_per_class_accuracy": per_class}


def _scores(logits: torch.Tensor, labels: torch.Tensor):
    loss = F.cross_entropy(logits, labels).item()
    probabilities = torch.softmax(logits.double(), dim=1)
    confidence, predicted = probabilities.max(dim=1)
    confusion = torch.bincount(labels * NUM_CLASSES + predicted, minlength=NUM_CLASSES**2)
    confusion = confusion.reshape(NUM_CLASSES, NUM_CLASSES)
    per_class = confusion.diagonal().double() / confusion.sum(dim=1).clamp(min=1)
    accuracy = round(confusion.diagonal().sum().item() / len(labels), 6)
    return round(loss, 6), accuracy, [round(v, 6) for v in per_class.tolist()], confusion, predicted, confidence


def _most_confident_mistakes(labels, predicted, confidence) -> list[dict]:
    wrong = torch.nonzero(predicted != labels).flatten()
    # stable sort: equal confidences keep test-index order, so the export is deterministic
    order = torch.sort(confidence[wrong], descending=True, stable=True).indices[:MAX_MISTAKES]
    return [
        {
            "test_index": int(index),
            "label": int(labels[index]),
            "predicted": int(predicted[index]),
            "confidence": round(float(confidence[index]), 6),
        }
        for index in wrong[order].tolist()
    ]
