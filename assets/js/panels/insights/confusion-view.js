// The confusion matrix of the current snapshot (row = true digit, column = prediction),
// with counts. Click a cell (or arrows + Enter) to list that cell's exported mistakes as
// thumbnails; click a thumbnail to draw that test digit on the pad.
//
// Mistake images: fetched lazily from `state.manifest.gallery.url` on the first cell
// chosen, through the shared sample-set cache.

import { loadSampleSet } from "../../data/sample-sets.js";
import { errorText } from "../../i18n/error-words.js";
import { formatNumber, formatPercent, t } from "../../i18n/i18n.js";
import { el } from "../dom.js";
import { digitCanvas, fitCanvas, pointerPosition, watchWidth } from "./canvas.js";

const LABEL_SPACE = 22; // room for the digit names left of and above the grid
const MAX_SIDE = 440;

export class ConfusionView {
  /**
   * @param {HTMLElement} container emptied and filled by the view
   * @param {{loadDigit: (pixels: Float32Array) => void}} actions
   */
  constructor(container, actions) {
    this.actions = actions;
    this.state = null;
    this.side = 0;
    this.hovered = null; // {row, column}
    this.focused = { row: 0, column: 0 }; // the keyboard's cell
    this.selected = null; // {row, column}
    this.gallery = null;
    this.galleryUrl = null;

    this.readout = el("p", { class: "ins-readout", "aria-live": "polite" });
    this.canvas = el("canvas", {
      class: "ins-confusion-canvas",
      tabindex: "0",
      "aria-label": t("confusion.canvas"),
    });
    this.mistakesHeading = el("h3", { class: "ins-subheading" });
    this.mistakesNote = el("p", { class: "ins-note" });
    this.thumbnails = el("div", { class: "ins-thumbnails" });
    this.mistakes = el("section", { class: "ins-mistakes", hidden: "" }, [this.mistakesHeading, this.mistakesNote, this.thumbnails]);
    this.chartBox = el("div", { class: "ins-confusion-chart" }, [this.canvas]);
    container.replaceChildren(
      el("div", { class: "ins-view ins-confusion" }, [
        el("p", { class: "ins-caption" }, [t("confusion.caption")]),
        this.chartBox,
        this.readout,
        this.mistakes,
      ]),
    );

    this.canvas.addEventListener("pointermove", (event) => this.setHovered(this.cellAt(pointerPosition(event, this.canvas))));
    this.canvas.addEventListener("pointerleave", () => this.setHovered(null));
    this.canvas.addEventListener("click", (event) => {
      const cell = this.cellAt(pointerPosition(event, this.canvas));
      if (cell) this.select(cell);
    });
    this.canvas.addEventListener("keydown", (event) => this.onKey(event));
    // The keyboard's cell is outlined only while the grid has focus.
    this.canvas.addEventListener("focus", () => this.render());
    this.canvas.addEventListener("blur", () => this.render());
    watchWidth(this.chartBox, (width) => {
      this.side = Math.min(width, MAX_SIDE);
      this.render();
    });
  }

  /** Reads state.manifest and the shown snapshot; redraws only when one of them changed. */
  update(state, changed) {
    this.state = state;
    if (!state.manifest) return;
    if (changed.has("manifest")) {
      this.selected = null;
      this.mistakes.hidden = true;
    }
    if (changed.has("manifest") || changed.has("snapshot")) {
      this.render();
      this.updateReadout();
      if (this.selected) this.showMistakes();
    }
  }

  get confusion() {
    return this.state.snapshot?.entry?.metrics?.confusion ?? null;
  }

  cellSize() {
    return (this.side - LABEL_SPACE) / 10;
  }

  cellAt({ x, y }) {
    const size = this.cellSize();
    const column = Math.floor((x - LABEL_SPACE) / size);
    const row = Math.floor((y - LABEL_SPACE) / size);
    return row >= 0 && row < 10 && column >= 0 && column < 10 ? { row, column } : null;
  }

  render() {
    const confusion = this.confusion;
    if (!this.side || !confusion) return;
    const context = fitCanvas(this.canvas, this.side, this.side);
    context.clearRect(0, 0, this.side, this.side);
    const size = this.cellSize();
    const names = this.state.manifest.model.class_names;
    const fontSize = Math.max(8, Math.min(12, size * 0.34));
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.font = `${fontSize + 1}px system-ui, sans-serif`;
    context.fillStyle = "rgba(220,228,236,0.8)";
    for (let i = 0; i < 10; i++) {
      context.fillText(names[i], LABEL_SPACE + (i + 0.5) * size, LABEL_SPACE / 2); // predicted
      context.fillText(names[i], LABEL_SPACE / 2, LABEL_SPACE + (i + 0.5) * size); // true
    }

    context.font = `${fontSize}px system-ui, sans-serif`;
    for (let row = 0; row < 10; row++) {
      const total = confusion[row].reduce((a, b) => a + b, 0) || 1;
      for (let column = 0; column < 10; column++) {
        const count = confusion[row][column];
        const x = LABEL_SPACE + column * size;
        const y = LABEL_SPACE + row * size;
        context.fillStyle = cellColour(count, total, row === column);
        context.fillRect(x + 0.5, y + 0.5, size - 1, size - 1);
        if (count > 0) {
          context.fillStyle = count / total > 0.45 ? "#0d1218" : "rgba(235,240,245,0.9)";
          context.fillText(String(count), x + size / 2, y + size / 2 + 0.5);
        }
      }
    }
    this.markCellsWithImages(context, size);
    this.outline(context, this.hovered, "rgba(255,255,255,0.5)", []);
    if (document.activeElement === this.canvas) this.outline(context, this.focused, "rgba(255,255,255,0.8)", [3, 2]);
    this.outline(context, this.selected, "#ffffff", []);
    this.canvas.dataset.snapshot = this.state.snapshot?.entry?.id ?? ""; // a stable hook for tests
  }

  /** A small corner tick on every cell that has exported mistake images to show. */
  markCellsWithImages(context, size) {
    const tick = Math.max(4, size * 0.22);
    context.fillStyle = "rgba(255,255,255,0.85)";
    for (const { label, predicted } of this.state.snapshot?.entry?.metrics?.mistakes ?? []) {
      const x = LABEL_SPACE + (predicted + 1) * size - 1;
      const y = LABEL_SPACE + label * size + 1;
      context.beginPath();
      context.moveTo(x - tick, y);
      context.lineTo(x, y);
      context.lineTo(x, y + tick);
      context.closePath();
      context.fill();
    }
  }

  outline(context, cell, colour, dash) {
    if (!cell) return;
    const size = this.cellSize();
    context.setLineDash(dash);
    context.strokeStyle = colour;
    context.lineWidth = 2;
    context.strokeRect(LABEL_SPACE + cell.column * size + 1, LABEL_SPACE + cell.row * size + 1, size - 2, size - 2);
    context.setLineDash([]);
  }

  setHovered(cell) {
    if (sameCell(cell, this.hovered)) return;
    this.hovered = cell;
    this.updateReadout();
    this.render();
  }

  updateReadout() {
    const cell = this.hovered ?? this.selected;
    const confusion = this.confusion;
    if (!confusion) return;
    if (!cell) {
      const total = confusion.flat().reduce((a, b) => a + b, 0);
      const right = confusion.reduce((sum, row, i) => sum + row[i], 0);
      this.readout.textContent = t("confusion.total", { right: formatNumber(right), total: formatNumber(total) });
      return;
    }
    this.readout.textContent = describeCell(cell, confusion, this.state.manifest.model.class_names);
  }

  onKey(event) {
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (event.key in moves) {
      const [dRow, dColumn] = moves[event.key];
      this.focused = {
        row: Math.max(0, Math.min(9, this.focused.row + dRow)),
        column: Math.max(0, Math.min(9, this.focused.column + dColumn)),
      };
      this.readout.textContent = describeCell(this.focused, this.confusion, this.state.manifest.model.class_names);
    } else if (event.key === "Enter" || event.key === " ") {
      this.select(this.focused);
    } else {
      return;
    }
    event.preventDefault();
    this.render();
  }

  select(cell) {
    this.selected = cell;
    this.focused = cell;
    this.render();
    this.showMistakes();
  }

  /** Thumbnails of the selected cell's exported mistakes at the current snapshot. */
  showMistakes() {
    const { row, column } = this.selected;
    const names = this.state.manifest.model.class_names;
    const count = this.confusion?.[row]?.[column] ?? 0;
    const mistakes = (this.state.snapshot?.entry?.metrics?.mistakes ?? []).filter(
      (mistake) => mistake.label === row && mistake.predicted === column,
    );
    this.mistakes.hidden = false;
    this.mistakesHeading.textContent = t(row === column ? "confusion.headingRight" : "confusion.heading", {
      label: names[row],
      predicted: names[column],
      count: formatNumber(count),
    });
    this.thumbnails.replaceChildren();
    if (row === column) {
      this.mistakesNote.textContent = t("confusion.diagonal");
      return;
    }
    if (mistakes.length === 0) {
      this.mistakesNote.textContent = t(count === 0 ? "confusion.never" : "confusion.notExported");
      return;
    }
    this.mistakesNote.textContent = mistakes.length === count ? t("confusion.all") : t("confusion.some", { count: mistakes.length });
    const galleryEntry = this.state.manifest.gallery;
    const galleryUrl = galleryEntry?.url;
    if (this.gallery && this.galleryUrl === galleryUrl) {
      this.fillThumbnails(mistakes, names);
      return;
    }
    this.galleryUrl = galleryUrl;
    this.gallery = null;
    if (!galleryEntry) {
      this.mistakesNote.textContent = t("confusion.noGallery");
      return;
    }
    loadSampleSet(galleryEntry, this.state.manifest).then(
      (gallery) => {
        if (galleryUrl !== this.galleryUrl) return;
        this.gallery = gallery;
        if (this.selected) this.showMistakes();
      },
      (error) => (this.mistakesNote.textContent = t("confusion.failed", { detail: errorText(error) })),
    );
  }

  fillThumbnails(mistakes, names) {
    for (const mistake of mistakes) {
      const index = mistake.gallery_index;
      if (!(index >= 0 && index < this.gallery.count) || this.gallery.testIndices[index] !== mistake.test_index) {
        this.mistakesNote.textContent = t("confusion.damaged", { index: mistake.test_index });
        continue;
      }
      const confidence = formatPercent(mistake.confidence, 0);
      const button = el(
        "button",
        {
          type: "button",
          class: "ins-thumb",
          title: t("confusion.thumbTitle", { index: mistake.test_index }),
          "aria-label": t("confusion.thumb", {
            index: mistake.test_index,
            label: names[mistake.label],
            predicted: names[mistake.predicted],
            confidence,
          }),
        },
        [digitCanvas(this.gallery.image(index), this.gallery.shape), el("span", {}, [confidence])],
      );
      button.addEventListener("click", () => this.actions.loadDigit(this.gallery.pixels(index)));
      this.thumbnails.append(button);
    }
  }
}

/** Diagonal: calm green by the share answered right; off-diagonal: warm, by log count. */
function cellColour(count, rowTotal, diagonal) {
  if (diagonal) {
    const share = count / rowTotal;
    return `rgba(120, 200, 140, ${0.08 + 0.85 * share})`;
  }
  if (count === 0) return "rgba(255,255,255,0.03)";
  const strength = Math.min(1, Math.log10(1 + count) / Math.log10(1 + rowTotal * 0.5));
  return `rgba(240, 140, 80, ${0.12 + 0.8 * strength})`;
}

function describeCell({ row, column }, confusion, names) {
  const count = confusion?.[row]?.[column] ?? 0;
  const total = confusion?.[row]?.reduce((a, b) => a + b, 0) ?? 0;
  const share = total ? t("confusion.share", { percent: formatPercent(count / total), label: names[row] }) : "";
  return t(row === column ? "confusion.cellRight" : "confusion.cell", {
    count: formatNumber(count),
    label: names[row],
    predicted: names[column],
    share,
  });
}

function sameCell(a, b) {
  return a === b || (a && b && a.row === b.row && a.column === b.column);
}
