"""Early stopping (--early-stop PATIENCE, --min-delta): stop once the validation loss has
not improved by min_delta for PATIENCE consecutive snapshots."""

from __future__ import annotations

import math
from collections.abc import Iterable


class EarlyStopping:
    def __init__(self, patience: int, min_delta: float):
        self.patience, self.min_delta = patience, min_delta
        self.best = math.inf
        self.best_position = -1
        self.stale = 0  # consecutive snapshots without an improvement
        self.seen = 0

    def update(self, val_loss: float) -> bool:
        """Takes the next snapshot's validation loss; returns whether training stops here."""
        if val_loss < self.best - self.min_delta:
            self.best, self.best_position, self.stale = val_loss, self.seen, 0
        else:
            self.stale += 1
        self.seen += 1
        return self.stale >= self.patience


def stop_position(val_losses: Iterable[float], patience: int, min_delta: float) -> int | None:
    """The position in `val_losses` (one per snapshot) where training stops, or None."""
    rule = EarlyStopping(patience, min_delta)
    for position, loss in enumerate(val_losses):
        if rule.update(loss):
            return position
    return None
