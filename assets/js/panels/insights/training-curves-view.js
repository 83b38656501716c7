// How training went: the training-loss history and the test accuracy of every snapshot on
// one "images seen" axis, a cursor at the current snapshot (click or drag to move the
// timeline, arrow keys too), and per-class test accuracy bars for the current snapshot.

import { formatNumber, formatPercent, t } from "../../i18n/i18n.js";
import { el } from "../dom.js";
import { formatImagesSeen, snapshotLabel } from "../timeline-format.js";
import { fitCanvas, pointerPosition, watchWidth } from "./canvas.js";
import { CLASS_COLOURS } from "./class-colours.js";
import { formatCount, LogScale, SymlogScale } from "./scales.js";

const MARGIN = { left: 40, right: 12, top: 16, bottom: 24 };
const LOSS_HEIGHT = 110;
const GAP = 26;
const ACCURACY_HEIGHT = 96;
const HEIGHT = MARGIN.top + LOSS_HEIGHT + GAP + ACCURACY_HEIGHT + MARGIN.bottom;
const TEXT = "rgba(220,228,236,0.75)";
const GRID = "rgba(255,255,255,0.07)";
const LOSS_COLOUR = "rgba(137,180,250,0.85)";
const TEST_LOSS_COLOUR = "#f5c26b";
const VALIDATION_COLOUR = "#c792ea"; // a run with --val-size: validation beside test, in both charts

export class TrainingCurvesView {
  /**
   * @param {HTMLElement} container emptied and filled by the view
   * @param {{setSnapshot: (index: number) => void}} actions
   */
  constructor(container, actions) {
    this.actions = actions;
    this.state = null;
    this.width = 0;
    this.hoverIndex = -1;
    this.dragging = false;

    this.readout = el("p", { class: "ins-readout", "aria-live": "polite" });
    this.canvas = el("canvas", {
      class: "ins-curves-canvas",
      tabindex: "0",
      role: "slider",
      "aria-label": t("curves.canvas"),
    });
    this.bars = el("ol", { class: "ins-class-bars", "aria-label": t("curves.bars") });
    this.barRows = CLASS_COLOURS.map((colour) => {
      const name = el("span", { class: "ins-bar-name" });
      const fill = el("span", { class: "ins-bar-fill", style: `background:${colour}` });
      const value = el("span", { class: "ins-bar-value" });
      this.bars.append(el("li", {}, [name, el("span", { class: "ins-bar-track" }, [fill]), value]));
      return { name, fill, value };
    });
    this.chartBox = el("div", { class: "ins-curves-chart" }, [this.canvas]);
    container.replaceChildren(
      el("div", { class: "ins-view ins-curves" }, [
        this.readout,
        this.chartBox,
        el("h3", { class: "ins-subheading" }, [t("curves.perDigit")]),
        this.bars,
      ]),
    );

    this.canvas.addEventListener("pointerdown", (event) => {
      this.dragging = true;
      this.canvas.setPointerCapture(event.pointerId);
      this.choose(event);
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (this.dragging) this.choose(event);
      else this.setHover(this.nearestSnapshot(pointerPosition(event, this.canvas).x));
    });
    const stop = () => (this.dragging = false);
    this.canvas.addEventListener("pointerup", stop);
    this.canvas.addEventListener("pointercancel", stop);
    this.canvas.addEventListener("pointerleave", () => this.setHover(-1));
    this.canvas.addEventListener("keydown", (event) => this.onKey(event));
    watchWidth(this.chartBox, (width) => {
      this.width = width;
      this.render();
    });
  }

  /** Reads state.manifest and the shown snapshot; redraws only when one of them changed. */
  update(state, changed) {
    this.state = state;
    if (!state.manifest) return;
    if (changed.has("manifest")) this.prepareScales();
    if (changed.has("manifest") || changed.has("snapshot")) {
      this.updateBars();
      this.updateReadout();
      this.render();
    }
  }

  prepareScales() {
    const { timeline, loss_history: history } = this.state.manifest;
    const lastSeen = Math.max(timeline.at(-1).images_seen, history?.images_seen?.at(-1) ?? 0);
    const firstSeen = timeline.find((entry) => entry.images_seen > 0)?.images_seen ?? history?.images_seen?.[0] ?? 1;
    this.x = new SymlogScale(firstSeen, lastSeen);
    const snapshotLosses = timeline.flatMap((entry) => [entry.metrics?.test_loss, entry.metrics?.val_loss]);
    const losses = [...(history?.loss ?? []), ...snapshotLosses].filter((v) => v > 0);
    // A loop, not Math.min(...losses): a long history would overflow the call stack.
    let low = Number.POSITIVE_INFINITY;
    let high = 0;
    for (const loss of losses) {
      low = Math.min(low, loss);
      high = Math.max(high, loss);
    }
    this.lossScale = new LogScale(low, high);
    this.canvas.setAttribute("aria-valuemin", "0");
    this.canvas.setAttribute("aria-valuemax", String(timeline.length - 1));
  }

  /** Numbers of the hovered snapshot while the pointer is on the chart, else of the current one. */
  updateReadout() {
    const hovering = this.hoverIndex >= 0 && this.hoverIndex !== (this.state.snapshot?.index ?? -1);
    const entry = hovering ? this.state.manifest.timeline[this.hoverIndex] : this.state.snapshot?.entry;
    if (!entry) return;
    const metrics = entry.metrics ?? {};
    const trainSize = this.state.manifest.training?.dataset?.train_size;
    const label = snapshotLabel(entry, trainSize);
    // "5.8k images" already says how many; "1× dataset" needs the count spelled out.
    const snapshot =
      entry.images_seen >= (trainSize ?? 60000)
        ? t("curves.withCount", { snapshot: label, count: t("curves.imagesCount", { count: formatCount(entry.images_seen) }) })
        : label;
    const numbers = t("curves.numbers", {
      percent: percent(metrics.test_accuracy),
      loss: Number.isFinite(metrics.test_loss) ? formatNumber(metrics.test_loss, 3) : "—",
    });
    const validation = Number.isFinite(metrics.val_accuracy)
      ? ` ${t("validation.readout", { accuracy: formatPercent(metrics.val_accuracy), loss: formatNumber(metrics.val_loss, 3) })}`
      : "";
    this.readout.textContent = hovering
      ? t("curves.hovered", { snapshot, numbers: numbers + validation })
      : capitalise(t("curves.current", { snapshot, numbers: numbers + validation }));
    const current = this.state.snapshot?.entry;
    this.canvas.setAttribute("aria-valuenow", String(this.state.snapshot?.index ?? -1));
    this.canvas.setAttribute("aria-valuetext", snapshotLabel(current, trainSize));
  }

  updateBars() {
    const perClass = this.state.snapshot?.entry?.metrics?.per_class_accuracy ?? [];
    const names = this.state.manifest.model.class_names;
    this.barRows.forEach((row, digit) => {
      const accuracy = perClass[digit];
      row.name.textContent = names[digit];
      row.fill.style.width = `${Math.max(0, Math.min(1, accuracy ?? 0)) * 100}%`;
      row.value.textContent = percent(accuracy);
    });
  }

  /** Snapshot index whose x is closest to screen x (in the symlog space, i.e. as drawn). */
  nearestSnapshot(screenX) {
    const timeline = this.state?.manifest?.timeline;
    if (!timeline || !this.width) return -1;
    let best = 0;
    timeline.forEach((entry, i) => {
      if (Math.abs(this.toX(entry.images_seen) - screenX) < Math.abs(this.toX(timeline[best].images_seen) - screenX)) best = i;
    });
    return best;
  }

  choose(event) {
    this.request(this.nearestSnapshot(pointerPosition(event, this.canvas).x));
  }

  /**
   * Drags and repeated arrow presses build on the snapshot last asked for (state.timeline),
   * not on the one shown: snapshots load asynchronously.
   */
  request(index) {
    const { requested, failed } = this.state.timeline;
    if (index < 0 || (index === requested && !failed)) return;
    this.actions.setSnapshot(index);
  }

  onKey(event) {
    const last = (this.state?.manifest?.timeline.length ?? 1) - 1;
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1 };
    let target = null;
    if (event.key in moves) target = this.state.timeline.requested + moves[event.key];
    else if (event.key === "Home") target = 0;
    else if (event.key === "End") target = last;
    if (target === null || !this.state?.manifest) return;
    event.preventDefault();
    this.request(Math.max(0, Math.min(last, target)));
  }

  setHover(index) {
    if (index === this.hoverIndex) return;
    this.hoverIndex = index;
    this.updateReadout();
    this.render();
  }

  toX(imagesSeen) {
    return MARGIN.left + this.x.map(imagesSeen) * (this.width - MARGIN.left - MARGIN.right);
  }

  render() {
    if (!this.width || !this.state?.manifest) return;
    const context = fitCanvas(this.canvas, this.width, HEIGHT);
    context.clearRect(0, 0, this.width, HEIGHT);
    context.font = "11px system-ui, sans-serif";
    const lossTop = MARGIN.top;
    const accuracyTop = MARGIN.top + LOSS_HEIGHT + GAP;
    this.drawXGrid(context, lossTop, accuracyTop + ACCURACY_HEIGHT);
    this.drawLoss(context, lossTop);
    this.drawAccuracy(context, accuracyTop);
    this.drawCursor(context, this.state.snapshot?.index ?? -1, "#ffffff", lossTop, accuracyTop + ACCURACY_HEIGHT);
    if (this.hoverIndex >= 0 && this.hoverIndex !== (this.state.snapshot?.index ?? -1)) {
      this.drawCursor(context, this.hoverIndex, "rgba(255,255,255,0.35)", lossTop, accuracyTop + ACCURACY_HEIGHT);
    }
    this.canvas.dataset.snapshot = this.state.snapshot?.entry?.id ?? ""; // where the cursor is: a stable hook for tests
  }

  drawXGrid(context, top, bottom) {
    context.strokeStyle = GRID;
    context.fillStyle = TEXT;
    context.textAlign = "center";
    context.textBaseline = "top";
    context.lineWidth = 1;
    for (const tick of this.x.ticks()) {
      const x = Math.round(this.toX(tick)) + 0.5;
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, bottom);
      context.stroke();
      context.fillText(formatCount(tick), x, bottom + 6);
    }
    const trainSize = this.state.manifest.training?.dataset?.train_size;
    if (trainSize && trainSize <= this.x.max) {
      // One pass over the data: the boundary people ask about ("what is an epoch?").
      const x = Math.round(this.toX(trainSize)) + 0.5;
      context.setLineDash([3, 3]);
      context.strokeStyle = "rgba(255,255,255,0.22)";
      context.beginPath();
      context.moveTo(x, top);
      context.lineTo(x, bottom);
      context.stroke();
      context.setLineDash([]);
      const nearRightEdge = x > this.width - MARGIN.right - 70;
      context.textAlign = nearRightEdge ? "right" : "left";
      context.fillText(formatImagesSeen(trainSize, trainSize), nearRightEdge ? x - 3 : x + 3, bottom - 12);
    }
  }

  drawLoss(context, top) {
    const { loss_history: history, timeline } = this.state.manifest;
    const toY = (loss) => top + (1 - this.lossScale.map(loss)) * LOSS_HEIGHT;
    this.drawYLabels(
      context,
      this.lossScale.ticks().map((tick) => [toY(tick), formatCount(tick)]),
    );
    this.drawLossLegend(context, top - 13);

    if (history?.loss?.length) {
      context.strokeStyle = LOSS_COLOUR;
      context.lineWidth = 1.25;
      context.beginPath();
      history.loss.forEach((loss, i) => {
        const x = this.toX(history.images_seen[i]);
        const y = toY(Math.max(loss, this.lossScale.min));
        if (i === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
    }
    context.fillStyle = TEST_LOSS_COLOUR;
    for (const entry of timeline) {
      const loss = entry.metrics?.test_loss;
      if (!(loss > 0)) continue;
      context.beginPath();
      context.arc(this.toX(entry.images_seen), toY(loss), 2.5, 0, 2 * Math.PI);
      context.fill();
    }
    this.drawSeries(context, "val_loss", (loss) => toY(Math.max(loss, this.lossScale.min)), VALIDATION_COLOUR);
  }

  /** A metric per snapshot (`key` of entry.metrics) as a line with a dot at each snapshot; nothing when no snapshot has it. */
  drawSeries(context, key, toY, colour) {
    const points = this.state.manifest.timeline
      .filter((entry) => Number.isFinite(entry.metrics?.[key]))
      .map((entry) => [this.toX(entry.images_seen), toY(entry.metrics[key])]);
    context.strokeStyle = colour;
    context.fillStyle = colour;
    context.lineWidth = 1.5;
    context.beginPath();
    for (const [i, [x, y]] of points.entries()) {
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    }
    context.stroke();
    for (const [x, y] of points) {
      context.beginPath();
      context.arc(x, y, 2.5, 0, 2 * Math.PI);
      context.fill();
    }
  }

  drawLossLegend(context, y) {
    context.textAlign = "left";
    context.textBaseline = "top";
    let x = MARGIN.left + 4;
    const label = (text, colour = TEXT) => {
      context.fillStyle = colour;
      context.fillText(text, x, y);
      x += context.measureText(text).width + 6;
    };
    label(t("curves.loss"));
    context.strokeStyle = LOSS_COLOUR;
    context.lineWidth = 2;
    context.beginPath();
    context.moveTo(x, y + 6);
    context.lineTo(x + 12, y + 6);
    context.stroke();
    x += 16;
    label(t("curves.trainingLoss"));
    context.fillStyle = TEST_LOSS_COLOUR;
    context.beginPath();
    context.arc(x + 3, y + 6, 3, 0, 2 * Math.PI);
    context.fill();
    x += 10;
    label(t("curves.testLoss"));
    if (this.state.manifest.validation) label(t("validation.curve"), VALIDATION_COLOUR);
  }

  drawAccuracy(context, top) {
    const toY = (accuracy) => top + (1 - accuracy) * ACCURACY_HEIGHT;
    this.drawYLabels(
      context,
      [0, 0.5, 1].map((v) => [toY(v), formatPercent(v, 0)]),
    );
    context.fillStyle = TEXT;
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(t("curves.accuracy"), MARGIN.left + 4, top - 13);
    if (this.state.manifest.validation) {
      context.fillStyle = VALIDATION_COLOUR;
      context.fillText(t("validation.curve"), MARGIN.left + 12 + context.measureText(t("curves.accuracy")).width, top - 13);
      this.drawSeries(context, "val_accuracy", toY, VALIDATION_COLOUR);
    }
    this.drawSeries(context, "test_accuracy", toY, "#8fd694");
  }

  drawYLabels(context, ticks) {
    context.fillStyle = TEXT;
    context.strokeStyle = GRID;
    context.textAlign = "right";
    context.textBaseline = "middle";
    for (const [y, label] of ticks) {
      context.fillText(label, MARGIN.left - 6, y);
      context.beginPath();
      context.moveTo(MARGIN.left, Math.round(y) + 0.5);
      context.lineTo(this.width - MARGIN.right, Math.round(y) + 0.5);
      context.stroke();
    }
  }

  drawCursor(context, index, colour, top, bottom) {
    const entry = this.state.manifest.timeline[index];
    if (!entry) return;
    const x = Math.round(this.toX(entry.images_seen)) + 0.5;
    context.strokeStyle = colour;
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x, top - 4);
    context.lineTo(x, bottom);
    context.stroke();
    const accuracy = entry.metrics?.test_accuracy;
    if (Number.isFinite(accuracy)) {
      const y = MARGIN.top + LOSS_HEIGHT + GAP + (1 - accuracy) * ACCURACY_HEIGHT;
      context.fillStyle = colour;
      context.beginPath();
      context.arc(x, y, 4, 0, 2 * Math.PI);
      context.fill();
    }
  }
}

function percent(value) {
  return Number.isFinite(value) ? formatPercent(value) : "—";
}

function capitalise(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
