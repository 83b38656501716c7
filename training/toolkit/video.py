"""`video OUT.mp4`: the whole timeline as a dashboard animation — the loss curve with a
moving cursor, per-class accuracy bars and the latent map gliding between snapshots, with
a title and the images-seen counter — encoded as H.264 (yuv420p) by the ffmpeg that
imageio-ffmpeg ships.

Speed: everything that does not move (axes, ticks, the full training-loss curve, titles)
is drawn once; each frame restores that background and draws only the moving artists
(matplotlib's blitting on the Agg canvas), and the RGBA buffer goes to ffmpeg as it is,
which converts and encodes in its own process (the second core)."""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass

import numpy as np

from training.toolkit import ui
from training.toolkit.atomic import atomic_file, check_output_file
from training.toolkit.errors import ToolError
from training.toolkit.reader import Export, open_export
from training.toolkit.report import CLASS_COLOURS

GLIDE = 0.75  # share of each snapshot-to-snapshot step spent moving; the rest holds still
BACKGROUND = "#0f1115"
FOREGROUND = "#e8e6e3"
MUTED = "#8a8f98"
ACCENT = "#f28e2b"


@dataclass(frozen=True)
class Timeline:
    """What the dashboard animates, one row per snapshot."""

    ids: list[str]
    labels: list[str]
    images_seen: np.ndarray  # int [n]
    accuracy: np.ndarray  # [n]
    per_class: np.ndarray  # [n, classes]
    test_loss: np.ndarray  # [n]
    coords: np.ndarray  # float32 [n, probe, 2]
    probe_labels: np.ndarray  # [probe]
    history_seen: np.ndarray
    history_loss: np.ndarray
    train_size: int | None

    @classmethod
    def load(cls, export: Export) -> Timeline:
        entries = export.timeline
        metrics = [entry.get("metrics", {}) for entry in entries]
        history = export.manifest.get("loss_history", {})
        coords = np.stack([export.latent_coords(entry) for entry in ui.progress(entries, len(entries), "reading")])
        return cls(
            ids=[entry["id"] for entry in entries],
            labels=[str(entry.get("label", entry["id"])) for entry in entries],
            images_seen=np.array([entry["images_seen"] for entry in entries], dtype=np.int64),
            accuracy=np.array([m.get("test_accuracy", math.nan) for m in metrics], dtype=float),
            per_class=np.array([m.get("per_class_accuracy", [math.nan] * 10) for m in metrics], dtype=float),
            test_loss=np.array([m.get("test_loss", math.nan) for m in metrics], dtype=float),
            coords=coords,
            probe_labels=export.digits("probe").labels,
            history_seen=np.asarray(history.get("images_seen", []), dtype=float),
            history_loss=np.asarray(history.get("loss", []), dtype=float),
            train_size=export.training.get("dataset", {}).get("train_size"),
        )

    def at(self, position: float) -> tuple[int, float]:
        """Snapshot index i and eased fraction e towards i + 1 at a timeline position."""
        last = len(self.ids) - 1
        position = min(max(position, 0.0), float(last))
        index = min(int(math.floor(position)), max(last - 1, 0))
        fraction = position - index if last > 0 else 0.0
        t = min(fraction / GLIDE, 1.0)
        return index, t * t * (3 - 2 * t)  # smoothstep: the points ease in and out of each snapshot

    def seen_at(self, index: int, eased: float) -> float:
        """Images seen between two snapshots, interpolated on a log scale (as the axis)."""
        if index + 1 >= len(self.images_seen):
            return float(self.images_seen[index])
        start, end = float(self.images_seen[index]), float(self.images_seen[index + 1])
        if start <= 0:
            return end * eased
        return math.exp(math.log(start) + (math.log(end) - math.log(start)) * eased)


def _blend(values: np.ndarray, index: int, eased: float) -> np.ndarray:
    if index + 1 >= len(values):
        return values[index]
    return values[index] * (1 - eased) + values[index + 1] * eased


class Dashboard:
    """One figure; `frame(position)` returns the RGBA pixels at a timeline position
    (0 = the first snapshot, n − 1 = the last)."""

    def __init__(self, export: Export, timeline: Timeline, size: tuple[int, int]):
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.timeline = timeline
        self.size = width, height = size
        unit = height / 720  # fonts and markers scale with the frame
        self.figure = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor=BACKGROUND)
        self.canvas = FigureCanvasAgg(self.figure)
        text = {"color": FOREGROUND}
        self.figure.text(
            0.03,
            0.95,
            f"How a neural network learns to read digits: {export.describe_architecture()} on MNIST",
            fontsize=20 * unit,
            fontweight="bold",
            va="top",
            **text,
        )
        self.label = self.figure.text(0.03, 0.885, "", fontsize=17 * unit, color=ACCENT, va="top", animated=True)
        self.counter = self.figure.text(
            0.97, 0.885, "", fontsize=17 * unit, ha="right", va="top", animated=True, family="DejaVu Sans Mono", **text
        )
        self.loss_axis = self._axis([0.06, 0.52, 0.40, 0.28], unit)
        self.bars_axis = self._axis([0.06, 0.09, 0.40, 0.30], unit)
        self.latent_axis = self._axis([0.54, 0.05, 0.43, 0.76], unit)
        self._static_loss(unit)
        self._static_bars(export, unit)
        self._static_latent(export, unit)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.label_box = self._label_box()

    def _axis(self, rect, unit):
        axis = self.figure.add_axes(rect, facecolor=BACKGROUND)
        axis.tick_params(colors=MUTED, labelsize=10 * unit)
        for spine in axis.spines.values():
            spine.set_color("#3a3f47")
        return axis

    def _static_loss(self, unit: float) -> None:
        axis, timeline = self.loss_axis, self.timeline
        first = next((seen for seen in timeline.images_seen if seen > 0), 100)
        axis.set_xscale("symlog", linthresh=max(1, int(first)))
        axis.set_xlim(0, max(int(timeline.images_seen[-1]), 1) * 1.05)
        losses = np.concatenate([timeline.history_loss, timeline.test_loss])
        losses = losses[np.isfinite(losses) & (losses > 0)]
        low, high = (losses.min(), losses.max()) if losses.size else (0.01, 3.0)
        axis.set_yscale("log")
        axis.set_ylim(low / 1.3, high * 1.3)
        axis.set_title("loss", color=FOREGROUND, fontsize=13 * unit, loc="left")
        axis.set_xlabel("training images seen", color=MUTED, fontsize=10 * unit)
        if timeline.history_loss.size:
            axis.plot(timeline.history_seen, timeline.history_loss, color="#3a3f47", lw=1)
        axis.plot(timeline.images_seen, timeline.test_loss, color="#5a2a2b", lw=1.2)
        axis.grid(True, color="#23262c", lw=0.6)
        (self.train_trail,) = axis.plot([], [], color=MUTED, lw=1, animated=True, label="training loss")
        (self.test_trail,) = axis.plot(
            [], [], "o-", color="#e15759", ms=3.5 * unit, lw=1.5, animated=True, label="test loss"
        )
        self.cursor = axis.axvline(0, color=ACCENT, lw=1.5 * unit, animated=True)
        legend = axis.legend(
            handles=[self.train_trail, self.test_trail], loc="lower left", fontsize=10 * unit, frameon=False
        )
        for item in legend.get_texts():
            item.set_color(MUTED)

    def _static_bars(self, export: Export, unit: float) -> None:
        axis = self.bars_axis
        classes = self.timeline.per_class.shape[1]
        axis.set_ylim(0, 100)
        axis.set_xlim(-0.6, classes - 0.4)
        axis.set_xticks(range(classes), export.class_names[:classes])
        axis.set_title("test accuracy per digit (%)", color=FOREGROUND, fontsize=13 * unit, loc="left")
        axis.grid(True, axis="y", color="#23262c", lw=0.6)
        self.bars = axis.bar(
            range(classes), np.zeros(classes), color=[CLASS_COLOURS[i % 10] for i in range(classes)], animated=True
        )
        self.accuracy_text = axis.text(
            0.99, 1.04, "", transform=axis.transAxes, ha="right", fontsize=13 * unit, animated=True, color=FOREGROUND
        )

    def _static_latent(self, export: Export, unit: float) -> None:
        axis = self.latent_axis
        axis.set_xlim(-1.08, 1.08)
        axis.set_ylim(-1.08, 1.08)
        axis.set_xticks([])
        axis.set_yticks([])
        axis.set_title(
            f"latent map: {len(self.timeline.probe_labels):,} test digits by the last hidden layer",
            color=FOREGROUND,
            fontsize=13 * unit,
            loc="left",
        )
        colours = [CLASS_COLOURS[label % 10] for label in self.timeline.probe_labels]
        self.points = axis.scatter(
            self.timeline.coords[0][:, 0], self.timeline.coords[0][:, 1], s=9 * unit**2, c=colours, lw=0, animated=True
        )
        for digit, name in enumerate(export.class_names):
            axis.text(
                0.02 + digit * 0.045,
                0.02,
                name,
                transform=axis.transAxes,
                color=CLASS_COLOURS[digit % 10],
                fontsize=12 * unit,
                fontweight="bold",
            )

    def _label_box(self) -> tuple[int, int, int, int]:
        """Pixel box (left, top, right, bottom) that only the snapshot label is drawn in."""
        width, height = self.size
        left = int(0.03 * width) - 2
        top = int((1 - 0.885) * height) - 2
        return left, top, int(0.5 * width), top + int(0.05 * height)

    def frame(self, position: float) -> np.ndarray:
        timeline = self.timeline
        index, eased = timeline.at(position)
        seen = timeline.seen_at(index, eased)
        nearest = min(index + (1 if eased >= 0.5 else 0), len(timeline.ids) - 1)
        self.canvas.restore_region(self.background)

        self.label.set_text(f"snapshot: {timeline.labels[nearest]}")
        epochs = f"  ({seen / timeline.train_size:5.2f}× dataset)" if timeline.train_size else ""
        self.counter.set_text(f"images seen {int(round(seen)):>10,}{epochs}")
        self.cursor.set_xdata([seen, seen])
        shown = timeline.history_seen <= seen
        self.train_trail.set_data(timeline.history_seen[shown], timeline.history_loss[shown])
        done = index + 1 if eased < 1 else index + 2
        self.test_trail.set_data(timeline.images_seen[:done], timeline.test_loss[:done])
        for bar, value in zip(self.bars, 100 * _blend(timeline.per_class, index, eased)):
            bar.set_height(value)
        self.accuracy_text.set_text(f"all digits {100 * _blend(timeline.accuracy, index, eased):.1f}%")
        self.points.set_offsets(_blend(timeline.coords, index, eased))

        for artist in (self.label, self.counter, self.train_trail, self.test_trail, self.cursor):
            self.figure.draw_artist(artist)
        for artist in (*self.bars, self.accuracy_text, self.points):
            self.figure.draw_artist(artist)
        return np.asarray(self.canvas.buffer_rgba())


def frame_positions(count: int, frames: int) -> np.ndarray:
    """Frame k shows timeline position k / (frames − 1) · (count − 1): the first frame is the
    first snapshot, the last frame the last one."""
    if frames == 1:
        return np.array([float(count - 1)])
    return np.linspace(0.0, float(count - 1), frames)


def render_video(export: Export, path, size: tuple[int, int], fps: int, seconds: float) -> dict:
    import imageio_ffmpeg

    frames = max(1, round(fps * seconds))
    started = time.perf_counter()
    timeline = Timeline.load(export)
    dashboard = Dashboard(export, timeline, size)
    with atomic_file(path) as temp:
        writer = imageio_ffmpeg.write_frames(
            str(temp),
            size,
            pix_fmt_in="rgba",
            pix_fmt_out="yuv420p",
            fps=fps,
            codec="libx264",
            quality=None,
            macro_block_size=2,
            ffmpeg_log_level="error",
            output_params=["-crf", "20", "-preset", "veryfast", "-tune", "animation", "-movflags", "+faststart"],
        )
        writer.send(None)
        try:
            for position in ui.progress(frame_positions(len(timeline.ids), frames), frames, "rendering frames"):
                writer.send(dashboard.frame(float(position)))
        except OSError as error:
            raise ToolError(f"{path}: ffmpeg failed while encoding ({str(error).splitlines()[0]})") from error
        finally:
            writer.close()
    return {"frames": frames, "seconds": time.perf_counter() - started}


def video_command(args: argparse.Namespace) -> int:
    check_output_file(args.out, ".mp4")
    export = open_export(args.export)
    result = render_video(export, args.out, args.size, args.fps, args.seconds)
    width, height = args.size
    ui.out.print(
        f"[green]✓[/] {ui.shown_path(args.out)}: {result['frames']} frames, {width}×{height}, {args.fps} fps, "
        f"{result['frames'] / args.fps:.2f} s, H.264 yuv420p, {ui.human_bytes(args.out.stat().st_size)} "
        f"(rendered in {result['seconds']:.1f} s)"
    )
    return 0
