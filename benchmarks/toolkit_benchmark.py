#!/usr/bin/env python3
"""Speed of the command-line toolkit on this machine (python -m training …).

    python benchmarks/toolkit_benchmark.py [--runs 3] [--export exports/mlp_weights.json] [--skip-report]

Times, as the user runs them (a fresh process each, from start to exit):
- `video` at the default 1280×720, 20 s, 30 fps (600 frames): goal ≤ 60 s on the 2-core
  reference machine, encoding included;
- the video's frame rendering alone, in milliseconds per frame (no encoding);
- `report` (six figures, PNG + SVG).
Prints the best of --runs for each: other work on a shared machine only ever slows a
measurement down."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from training.toolkit.reader import open_export  # noqa: E402
from training.toolkit.video import Dashboard, Timeline, frame_positions  # noqa: E402

VIDEO_GOAL_SECONDS = 60.0


def timed_command(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "training", *args], cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def frame_milliseconds(export_path: str | None, frames: int = 120) -> float:
    export = open_export(export_path)
    timeline = Timeline.load(export)
    dashboard = Dashboard(export, timeline, (1280, 720))
    started = time.perf_counter()
    for position in frame_positions(len(timeline.ids), frames):
        dashboard.frame(float(position))
    return 1000 * (time.perf_counter() - started) / frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--export", default=None, help="manifest (default: the committed export)")
    parser.add_argument("--skip-report", action="store_true")
    args = parser.parse_args()
    export_args = ["--export", args.export] if args.export else []
    with tempfile.TemporaryDirectory() as folder:
        video = min(timed_command("video", str(Path(folder) / "timeline.mp4"), *export_args) for _ in range(args.runs))
        frame = min(frame_milliseconds(args.export) for _ in range(args.runs))
        report = (
            None
            if args.skip_report
            else min(timed_command("report", str(Path(folder) / "report"), *export_args) for _ in range(args.runs))
        )
    verdict = "ok" if video <= VIDEO_GOAL_SECONDS else "over the goal"
    print(
        f"video 1280x720, 20 s at 30 fps (600 frames), process start to exit: {video:.1f} s "
        f"(goal <= {VIDEO_GOAL_SECONDS:.0f} s: {verdict})"
    )
    print(f"  frame rendering alone: {frame:.1f} ms per frame ({600 * frame / 1000:.1f} s for 600 frames)")
    if report is not None:
        print(f"report (6 figures, PNG + SVG), process start to exit: {report:.1f} s")


if __name__ == "__main__":
    main()
