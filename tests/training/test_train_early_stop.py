"""--early-stop PATIENCE --min-delta: the rule on given loss sequences, and a real run
that stops exactly where the rule says on the validation losses of the same run
without early stopping."""

from __future__ import annotations

import dataclasses

import pytest
from train_export_checks import check_export
from train_runs import run_quietly

from training.early_stop import stop_position


@pytest.mark.parametrize(
    ("losses", "patience", "min_delta", "stop"),
    [
        ([1.0, 0.9, 0.8, 0.7], 1, 0.0, None),  # always improving
        ([1.0, 0.9, 0.9, 0.8], 1, 0.0, 2),  # equal is no improvement
        ([1.0, 0.9, 0.95, 0.85, 0.86, 0.87], 2, 0.0, 5),  # 0.85 reset the count
        ([1.0, 0.9, 0.95, 0.85, 0.86, 0.87], 3, 0.0, None),
        ([1.0, 0.95, 0.945, 0.5], 2, 0.06, 2),  # improvements smaller than min_delta are stale
        ([1.0, 0.95, 0.92, 0.91, 0.5], 2, 0.06, None),  # 0.92 beats 1.0 by 0.08: the count restarts
        ([1.0, 0.93, 0.92, 0.91, 0.90, 0.5], 3, 0.06, 4),  # measured from the best (0.93), not the last
    ],
)
def test_stopping_rule(losses, patience, min_delta, stop):
    assert stop_position(losses, patience, min_delta) == stop


@pytest.mark.slow
def test_a_real_run_stops_where_the_rule_says(short_val_run, mnist, tmp_path):
    full = short_val_run.result.manifest["timeline"]
    losses = [entry["metrics"]["val_loss"] for entry in full]
    # the smallest min-delta that makes patience 2 stop this run before its end
    candidates = [d / 1000 for d in range(1, 2000)]
    min_delta = next(d for d in candidates if (stop_position(losses, 2, d) or len(full)) < len(full) - 1)
    stop = stop_position(losses, 2, min_delta)
    config = dataclasses.replace(
        short_val_run.config, export_path=tmp_path / "stopped.json", early_stop=2, min_delta=min_delta
    )
    result, _ = run_quietly(config, mnist)
    manifest = check_export(config.export_path)
    assert [entry["id"] for entry in manifest["timeline"]] == [entry["id"] for entry in full[: stop + 1]]
    assert [entry["sha256"] for entry in manifest["timeline"]] == [entry["sha256"] for entry in full[: stop + 1]]
    assert manifest["training"]["completed"] is False
    note = manifest["training"]["stopped_early_note"]
    assert note.startswith("Stopped early (--early-stop 2") and f"ends at '{full[stop]['label']}'" in note
    assert result.shortened_note == note
