// What a first-layer hidden neuron looks for: its incoming weights, one per input pixel,
// drawn as the input picture (warm = ink here excites it, blue = ink here inhibits it),
// the same weights where the current drawing has ink, and the neuron's activation for it.
import { cssGradient, writeSrgbBytes } from "../../model/palette.js";
import { el } from "../dom.js";

const FIRST_HIDDEN = 1; // layer numbering as in mlp.forward's activations: 0 = input

export class WeightImageView {
  /** @param {HTMLElement} container emptied and filled by the view (it only displays: no actions) */
  constructor(container) {
    this.heading = el("h3", { class: "ins-subheading" }, ["What it looks for"]);
    this.weightsCanvas = pixelCanvas();
    this.inkCanvas = pixelCanvas();
    this.activationValue = el("span", { class: "ins-activation-value" });
    this.activationFill = el("span", { class: "ins-bar-fill" });
    this.activationNote = el("span", { class: "ins-activation-note" });
    this.body = el("div", { class: "ins-weights-row" }, [
      el("figure", {}, [this.weightsCanvas, el("figcaption", {}, ["Incoming weights"])]),
      el("figure", {}, [this.inkCanvas, el("figcaption", {}, ["Where you drew"])]),
      el("div", { class: "ins-activation" }, [
        el("span", { class: "ins-activation-label" }, ["Activation"]),
        this.activationValue,
        el("span", { class: "ins-bar-track" }, [this.activationFill]),
        this.activationNote,
      ]),
    ]);
    this.scale = el("div", { class: "ins-palette-scale" }, [
      el("span", {}, ["inhibits"]),
      el("span", { class: "ins-palette-bar", style: `background:${cssGradient()}` }),
      el("span", {}, ["excites"]),
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
      layer?.inSize === this.pixelCount &&
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
      this.activationNote.textContent = "Draw a digit to see how strongly this neuron fires.";
      return;
    }
    const value = activations[index];
    let largest = 0;
    let stronger = 0;
    for (const other of activations) {
      largest = Math.max(largest, other);
      if (other > value) stronger++;
    }
    this.activationValue.textContent = value.toFixed(2);
    this.activationFill.style.width = `${largest > 0 ? (value / largest) * 100 : 0}%`;
    this.activationNote.textContent =
      value > 0 ? `${ordinal(stronger + 1)} strongest of ${activations.length}` : "silent: the drawing does not match what it looks for";
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

function ordinal(n) {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}
