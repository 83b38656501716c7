// The training timeline: #timeline range (native keyboard: arrows, Home, End),
// play/pause, the label of the requested snapshot, the test accuracy of the
// one shown, and a sparkline of accuracy over the whole run behind the track.
// The sparkline is drawn when the export or its size changes; the shown snapshot's
// dot is an element moved over it, so a timeline step repaints nothing but the dot.

import { t } from "../i18n/i18n.js";
import { el } from "./dom.js";
import { formatAccuracy, formatImagesSeen, snapshotLabel } from "./timeline-format.js";

const PLAY_STEP_MS = 650;

export class TimelineBar {
  constructor(elements, { onScrub, onEngage }) {
    Object.assign(this, elements); // container, range, play, label, status, accuracy, sparkline
    this.onScrub = onScrub;
    // The user is about to use the timeline (hover, focus, touch): time to prefetch.
    for (const type of ["pointerenter", "focusin", "pointerdown"]) this.container.addEventListener(type, () => onEngage());
    this.timer = null;
    this.state = null; // the app state, read again when the sparkline is resized
    this.range.addEventListener("input", () => this.onScrub(Number(this.range.value)));
    this.play.addEventListener("click", () => (this.timer ? this.stop() : this.start()));
    new ResizeObserver(() => this.drawSparkline()).observe(this.sparkline);
    this.points = []; // the sparkline's point per snapshot, in CSS pixels of the track
    this.dot = el("span", { class: "timeline-dot", "aria-hidden": "true", hidden: "" });
    // The snapshot with the lowest validation loss (an export trained with --val-size).
    this.best = el("span", { id: "timeline-best", class: "timeline-best", hidden: "" });
    this.sparkline.after(this.dot, this.best);
  }

  start() {
    if (Number(this.range.value) >= Number(this.range.max)) this.jump(0);
    this.timer = setInterval(() => {
      const next = Number(this.range.value) + 1;
      if (next > Number(this.range.max)) this.stop();
      else this.jump(next);
    }, PLAY_STEP_MS);
    this.play.setAttribute("aria-pressed", "true");
    this.play.setAttribute("aria-label", t("timeline.pause"));
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.play.setAttribute("aria-pressed", "false");
    this.play.setAttribute("aria-label", t("timeline.play"));
  }

  jump(index) {
    this.range.value = String(index);
    this.onScrub(index);
  }

  update(state, changed) {
    this.state = state;
    const { manifest, timeline, snapshot } = state;
    if (!manifest) return;
    if (changed.has("manifest")) {
      this.range.max = String(manifest.timeline.length - 1);
      this.range.disabled = false;
    }
    if (!changed.has("timeline") && !changed.has("manifest")) return;
    const requested = manifest.timeline[timeline.requested];
    const shown = snapshot?.entry;
    const trainSize = manifest.training?.dataset?.train_size;
    if (requested) {
      this.label.textContent =
        requested.images_seen === 0
          ? t("timeline.start")
          : t("timeline.seen", { images: formatImagesSeen(requested.images_seen, trainSize) });
      this.range.setAttribute(
        "aria-valuetext",
        t("timeline.valueText", {
          label: snapshotLabel(requested, trainSize),
          index: requested.index + 1,
          count: manifest.timeline.length,
        }),
      );
      if (document.activeElement !== this.range && Number(this.range.value) !== timeline.requested)
        this.range.value = String(timeline.requested);
    }
    this.status.textContent = timeline.failed
      ? t("timeline.failed", { label: shown ? snapshotLabel(shown, trainSize) : t("timeline.nothing") })
      : shown && requested && shown.index !== requested.index
        ? t("timeline.fetching")
        : "";
    this.accuracy.textContent = shown ? formatAccuracy(shown.metrics?.test_accuracy) : "–";
    this.container.dataset.snapshot = shown ? shown.id : "";
    if (changed.has("manifest")) this.drawSparkline();
    else if (changed.has("snapshot")) this.placeDot();
  }

  /** Test accuracy per snapshot as a soft line; the shown snapshot's dot is placed on it. */
  drawSparkline() {
    const manifest = this.state?.manifest;
    const canvas = this.sparkline;
    const width = canvas.clientWidth,
      height = canvas.clientHeight;
    if (!manifest || !width) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    context.scale(ratio, ratio);
    const points = manifest.timeline.map((entry, i, all) => {
      // The range thumb's centre runs from 8 px to width - 8 px.
      const x = 8 + (all.length > 1 ? (i / (all.length - 1)) * (width - 16) : 0);
      const y = height - 4 - (entry.metrics?.test_accuracy ?? 0) * (height - 8);
      return [x, y];
    });
    this.points = points;
    context.lineWidth = 1.5;
    context.strokeStyle = "rgba(240, 160, 75, 0.55)";
    context.beginPath();
    for (const [i, [x, y]] of points.entries()) {
      if (i) context.lineTo(x, y);
      else context.moveTo(x, y);
    }
    context.stroke();
    this.placeBest(manifest, points);
    this.placeDot();
  }

  placeDot() {
    const point = this.points[this.state?.snapshot?.index ?? -1];
    this.dot.hidden = !point;
    if (point) this.dot.style.transform = `translate(${point[0]}px, ${point[1]}px)`;
  }

  placeBest(manifest, points) {
    const best = manifest.validation ? manifest.timeline[manifest.validation.best_index] : null;
    this.best.hidden = !best;
    if (!best) return;
    this.best.style.left = `${points[best.index][0]}px`;
    this.best.dataset.best = best.id;
    const text = t("validation.best", { label: snapshotLabel(best, manifest.training?.dataset?.train_size) });
    this.best.title = text;
    this.best.setAttribute("aria-label", text);
    this.best.setAttribute("role", "img");
  }
}
