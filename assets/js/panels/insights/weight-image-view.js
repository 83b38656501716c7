// What a first-layer hidden neuron looks for: its incoming weights, one per input pixel,
// drawn as the input picture (warm = ink here excites it, blue = ink here inhibits it),
// the same weights where the current drawing has ink, and the neuron's activation for it.

import { formatNumber, formatOrdinal, t } from "../../i18n/i18n.js";
import { cssGradient, writeSrgbBytes } from "../../model/palette.js";
import { el } from "../dom.js";

const FIRST_HIDDEN = 1; // layer numbering as in mlp.forward's activations: 0 = input

export class WeightImageView {
  /** @param {HTMLElement} container emptied and filled by the view (it only displays: no actions) */
  constructor(container) {
    this.heading = el("h3", { class: "ins-subheading" }, [t("weights.title")]);
    this.weightsCanvas = pixelCanvas();
    this.inkCanvas = pixelCanvas();
    this.activationValue = el("span", { class: "ins-activation-value" });
    this.activationFill = el("span", { class: "ins-bar-fill" });
    this.activationNote = el("span", { class: "ins-activation-note" });
    this.body = el("div", { class: "ins-weights-row" }, [
      el("figure", {}, [this.weightsCanvas, el("figcaption", {}, [t("weights.incoming")])]),
      el("figure", {}, [this.inkCanvas, el("figcaption", {}, [t("weights.ink")])]),
      el("div", { class: "ins-activation" }, [
        el("span", { class: "ins-activation-label" }, [t("weights.activation")]),
        this.activationValue,
        el("span", { class: "ins-bar-track" }, [this.activationFill]),
        this.activationNote,
      ]),
    ]);
    this.scale = el("div", { class: "ins-palette-scale" }, [
      el("span", {}, [t("weights.inhibits")]),
      el("span", { class: "ins-palette-bar", style: `background:${cssGradient()}` }),
      el("span", {}, [t("weights.excites")]),
    ]);
    this.container = container;
    container.replaceChildren(el("div", { class: "ins-view ins-weights" }, [this.heading, this.body, this.scale]));
    container.hidden = true; // nothing to show until a neuron is selected
    this.pixelCount = 0; // the input's pixels, once the manifest is known
  }

  /**
   * Reads state.selected, the shown network's first layer, state.result.activations[1] and state.pixels.
   * Only first-layer neurons see the pixels directly, so only they get a picture.
   */
  update(state, changed) {
    if (changed.has("manifest")) this.resize(state.manifest.model.input.shape);
    if (!["focus", "result", "snapshot"].some((key) => changed.has(key))) return;
    const { selected, snapshot } = state;
    const layer = snapshot?.network.layers[0];
    this.container.hidden = !(
      selected?.layer === FIRST_HIDDEN &&
      layer?.type === "linear" && // a CNN's first layer is convolution kernels, not one weight per pixel
      layer.inSize === this.pixelCount &&
      selected.index >= 0 &&
      selected.index < layer.outSize
    );
    if (this.container.hidden) return;
    this.container.dataset.neuron = `${selected.layer}.${selected.index}`; // a stable hook for tests
    const weights = layer.weight.subarray(selected.index * layer.inSize, (selected.index + 1) * layer.inSize);
    this.paint(this.weightsCanvas, (i) => weights[i]);
    const pixels = state.pixels;
    this.paint(this.inkCanvas, (i) => (pixels ? weights[i] * pixels[i] : 0));
    this.showActivation(state.result?.activations?.[FIRST_HIDDEN], selected.index);
  }

  showActivation(activations, index) {
    if (!activations) {
      this.activationValue.textContent = "—";
      this.activationFill.style.width = "0%";
      this.activationNote.textContent = t("weights.draw");
      return;
    }
    const value = activations[index];
    let largest = 0;
    let stronger = 0;
    for (const other of activations) {
      largest = Math.max(largest, other);
      if (other > value) stronger++;
    }
    this.activationValue.textContent = formatNumber(value, 2);
    this.activationFill.style.width = `${largest > 0 ? (value / largest) * 100 : 0}%`;
    this.activationNote.textContent =
      value > 0 ? t("weights.rank", { rank: formatOrdinal(stronger + 1), count: activations.length }) : t("weights.silent");
  }

  /** Both pictures get one pixel per input pixel: shape is [rows, columns]. */
  resize([rows, columns]) {
    this.pixelCount = rows * columns;
    for (const canvas of [this.weightsCanvas, this.inkCanvas]) {
      canvas.width = columns;
      canvas.height = rows;
    }
  }

  /** Diverging image of value(i) over the canvas's pixels, scaled by its largest magnitude. */
  paint(canvas, value) {
    const count = canvas.width * canvas.height;
    let maxAbs = 0;
    for (let i = 0; i < count; i++) maxAbs = Math.max(maxAbs, Math.abs(value(i)));
    const context = canvas.getContext("2d");
    const image = context.createImageData(canvas.width, canvas.height);
    for (let i = 0; i < count; i++) {
      writeSrgbBytes(maxAbs > 0 ? value(i) / maxAbs : 0, image.data, 4 * i);
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }
}

/** Sized to the input by resize() once the manifest is known. */
function pixelCanvas() {
  return el("canvas", { class: "ins-digit ins-weight-image" });
}
