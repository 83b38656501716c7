// Details of the selected neuron: bias, weighted sum, activation and its
// strongest incoming contributions — a few rows built once, updated in place.
import { cssColor } from "../model/palette.js";

const ROWS = 6;
const fmt = (v) => (v === null || v === undefined ? "–" : (Math.abs(v) < 0.0005 ? 0 : v).toFixed(3));

/** Neuron `index` of `layer` for a model (manifest.model: layer_sizes, input.shape), spelled out. */
export function neuronName({ layer_sizes: sizes, input }, layer, index) {
  if (layer === 0) {
    const columns = input.shape[1];
    return `Input pixel, row ${Math.floor(index / columns) + 1}, column ${(index % columns) + 1}`;
  }
  if (layer === sizes.length - 1) return `Output neuron for digit ${index}`;
  return `Hidden layer ${layer}, neuron ${index + 1} of ${sizes[layer]}`;
}

/** A short name for an incoming neuron; input pixels as "pixel row,column" in an image `columns` wide. */
function sourceName(layer, index, columns) {
  if (layer === 0) return `pixel ${Math.floor(index / columns) + 1},${(index % columns) + 1}`;
  return `hidden ${layer} · ${index + 1}`;
}

export class NeuronPanel {
  constructor(root) {
    const $ = (id) => root.querySelector(`#${id}`);
    this.empty = $("neuron-empty");
    this.details = $("neuron-details");
    this.name = $("neuron-name");
    this.bias = $("neuron-bias");
    this.sum = $("neuron-sum");
    this.activationLabel = $("neuron-activation-label");
    this.activation = $("neuron-activation");
    this.explain = $("neuron-explain");
    this.table = $("neuron-inputs");
    const body = this.table.querySelector("tbody");
    this.rows = Array.from({ length: ROWS }, () => {
      const row = body.insertRow();
      const cells = Array.from({ length: 4 }, () => row.insertCell());
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      const from = document.createElement("span");
      cells[0].append(swatch, from);
      return { row, swatch, from, weight: cells[1], input: cells[2], contribution: cells[3] };
    });
    this.order = new Int32Array(1024);
  }

  update(state, changed) {
    if (!["focus", "result", "snapshot"].some((key) => changed.has(key))) return;
    const { selected, snapshot, result, manifest } = state;
    const show = Boolean(selected && snapshot);
    this.empty.hidden = show;
    this.details.hidden = !show;
    if (!show) return;
    const { network } = snapshot;
    const { layer, index } = selected;
    const { input } = manifest.model;
    const last = network.sizes.length - 1;
    this.name.textContent = neuronName(manifest.model, layer, index);
    if (layer === 0) {
      this.bias.textContent = "–";
      this.sum.textContent = "–";
      this.activationLabel.textContent = "Input value";
      this.activation.textContent = fmt(result ? result.activations[0][index] : null);
      this.explain.textContent = `An input neuron holds one pixel of the ${input.shape.join("×")} image, normalised like the training data: (ink − ${input.mean}) / ${input.std}.`;
      this.table.hidden = true;
      return;
    }
    const weights = network.layers[layer - 1];
    this.bias.textContent = fmt(weights.bias[index]);
    this.sum.textContent = fmt(result ? result.preActivations[layer - 1][index] : null);
    this.activationLabel.textContent = layer === last ? "Probability" : "Activation";
    this.activation.textContent = result
      ? layer === last
        ? `${(result.activations[layer][index] * 100).toFixed(1)} %`
        : fmt(result.activations[layer][index])
      : "–";
    this.explain.textContent =
      layer === last
        ? "Weighted sum = bias + Σ weight × input. Softmax turns the ten sums into probabilities."
        : "Weighted sum = bias + Σ weight × input. ReLU passes it on if positive, else 0.";
    this.table.hidden = false;
    this.fillRows(weights, index, layer - 1, result ? result.activations[layer - 1] : null, input.shape[1]);
  }

  /** The strongest |weight × input| (or |weight| without a drawing) into neuron j; `columns`: the input image's width. */
  fillRows({ weight, inSize }, j, sourceLayer, inputs, columns) {
    const strength = (k) => Math.abs(weight[j * inSize + k] * (inputs ? inputs[k] : 1));
    if (this.order.length < inSize) this.order = new Int32Array(inSize);
    const order = this.order;
    for (let k = 0; k < inSize; k++) order[k] = k;
    const top = order.subarray(0, inSize).sort((a, b) => strength(b) - strength(a));
    this.rows.forEach((row, r) => {
      const k = top[r];
      row.row.hidden = r >= inSize;
      if (r >= inSize) return;
      const w = weight[j * inSize + k];
      const contribution = inputs ? w * inputs[k] : null;
      row.from.textContent = sourceName(sourceLayer, k, columns);
      row.weight.textContent = fmt(w);
      row.input.textContent = fmt(inputs ? inputs[k] : null);
      row.contribution.textContent = fmt(contribution);
      const scale = Math.max(strength(top[0]), 1e-9);
      row.swatch.style.background = cssColor((contribution ?? w) / scale);
    });
  }
}
