// Saliency over the page's input preview: which ink pushed the network towards its
// answer (warm) and which argued against it (blue), from gradient × input of the
// predicted class's logit (see ../saliency.js for why the logit). Toggleable.

import { t } from "../../i18n/i18n.js";
import { writeSrgbBytes } from "../../model/palette.js";
import { SaliencyComputer } from "../../model/saliency.js";
import { el } from "../dom.js";
import { fitCanvas } from "./canvas.js";

export class SaliencyOverlay {
  /**
   * @param {HTMLCanvasElement} target the preview canvas to cover (any CSS size). The
   *   overlay is its next sibling, placed absolutely; a static parent is made relative so
   *   the overlay stays on the preview when an ancestor scrolls.
   * @param {{enabled?: boolean}} [options]
   */
  constructor(target, { enabled = false } = {}) {
    this.target = target;
    this.state = null;
    this.computer = null;
    this.enabled = enabled;
    this.toggle = null;
    this.small = document.createElement("canvas"); // the map, one pixel per input pixel, scaled smoothly on draw
    this.image = null; // sized to the input once the manifest is known
    this.canvas = el("canvas", { class: "ins-saliency-overlay", "aria-hidden": "true" });
    this.canvas.hidden = !enabled;
    target.after(this.canvas);
    if (getComputedStyle(target.parentElement).position === "static") target.parentElement.style.position = "relative";
    new ResizeObserver(() => this.render()).observe(target);
  }

  /**
   * A toggle button for the page to place where it likes (next to the preview).
   * Its aria-pressed mirrors the overlay.
   */
  createToggle() {
    const button = el(
      "button",
      {
        type: "button",
        class: "ins-toggle",
        "aria-pressed": String(this.enabled),
        title: t("saliency.title"),
      },
      [t("saliency.toggle")],
    );
    button.addEventListener("click", () => this.setEnabled(!this.enabled));
    this.toggle = button;
    return button;
  }

  setEnabled(enabled) {
    this.enabled = enabled;
    this.canvas.hidden = !enabled;
    this.toggle?.setAttribute("aria-pressed", String(enabled));
    this.render();
  }

  /** Reads the shown network, state.result, state.pixels and state.manifest.model.input. */
  update(state, changed) {
    this.state = state;
    if (changed.has("manifest")) this.resize(state.manifest.model.input.shape);
    if (this.enabled && (changed.has("result") || changed.has("snapshot"))) this.render();
  }

  /** The small map gets one pixel per input pixel: shape is [rows, columns]. */
  resize([rows, columns]) {
    this.small.width = columns;
    this.small.height = rows;
    this.image = this.small.getContext("2d").createImageData(columns, rows);
  }

  render() {
    const { snapshot, result, pixels, manifest } = this.state ?? {};
    const network = snapshot?.network;
    const width = this.target.clientWidth;
    const height = this.target.clientHeight;
    if (!this.enabled || !width || !height) return;
    this.canvas.style.left = `${this.target.offsetLeft + this.target.clientLeft}px`;
    this.canvas.style.top = `${this.target.offsetTop + this.target.clientTop}px`;
    const context = fitCanvas(this.canvas, width, height);
    context.clearRect(0, 0, width, height);
    if (!network || !result || !pixels) {
      delete this.canvas.dataset.class;
      return;
    }

    if (!this.computer?.fits(network)) this.computer = new SaliencyComputer(network);
    const { map, maxAbs, classIndex } = this.computer.compute(network, result, pixels, manifest.model.input.std);
    this.canvas.dataset.class = String(classIndex); // a stable hook: the class whose saliency is shown
    const data = this.image.data;
    for (let i = 0; i < map.length; i++) {
      const t = maxAbs > 0 ? map[i] / maxAbs : 0;
      writeSrgbBytes(t, data, 4 * i);
      // Strength shows as opacity, so weak pixels let the drawing underneath show through.
      data[4 * i + 3] = Math.min(1, Math.abs(t) ** 0.6 * 1.1) * 235;
    }
    this.small.getContext("2d").putImageData(this.image, 0, 0);
    context.imageSmoothingEnabled = true;
    context.imageSmoothingQuality = "high";
    context.drawImage(this.small, 0, 0, width, height);
  }
}
