// Details of the selected neuron: bias, weighted sum, activation and its
// strongest incoming contributions — a few rows built once, updated in place.
// A selected feature-map value also gets its map's kernels and statistics (feature-map-details.js).
import { formatNumber, t } from "../i18n/i18n.js";
import { cssColor } from "../model/palette.js";
import { FeatureMapDetails } from "./feature-map-details.js";

const ROWS = 6;
const fmt = (v) => (v === null || v === undefined ? "–" : formatNumber(Math.abs(v) < 0.0005 ? 0 : v, 3));

/** Neuron `index` of `layer` for a model (manifest.model: layer_sizes, input.shape), spelled out. */
export function neuronName({ layer_sizes: sizes, layers, input }, layer, index) {
  if (layer === 0) {
    const columns = input.shape[1];
    return t("neuron.inputPixel", { row: Math.floor(index / columns) + 1, column: (index % columns) + 1 });
  }
  if (layer === sizes.length - 1) return t("neuron.output", { digit: index });
  const spec = layers?.[layer - 1];
  if (spec && spec.output_shape.length === 3) {
    const [, rows, columns] = spec.output_shape;
    const plane = rows * columns;
    const map = Math.floor(index / plane);
    const at = index - map * plane;
    const kind = t(spec.type === "conv2d" ? "neuron.kindConv" : "neuron.kindPool");
    return t("neuron.mapValue", { kind, layer, map: map + 1, row: Math.floor(at / columns) + 1, column: (at % columns) + 1 });
  }
  if (spec?.type === "flatten") return t("neuron.flatten", { index: index + 1, size: sizes[layer] });
  return t("neuron.hidden", { layer, index: index + 1, size: sizes[layer] });
}

/** A short name for an incoming neuron; input pixels as "pixel row,column" in an image `columns` wide. */
function sourceName(layer, index, columns) {
  if (layer === 0) return t("neuron.sourcePixel", { row: Math.floor(index / columns) + 1, column: (index % columns) + 1 });
  return t("neuron.sourceHidden", { layer, index: index + 1 });
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
    this.maps = new FeatureMapDetails();
    this.explain.after(this.maps.root);
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
    const { layer, index } = selected ?? {};
    const weights = show && layer > 0 ? snapshot.network.layers[layer - 1] : null;
    this.maps.update(weights?.outShape.length === 3 ? { layer: weights, stage: layer, index, result, changed } : null);
    if (!show) return;
    const { network } = snapshot;
    const { input } = manifest.model;
    const last = network.sizes.length - 1;
    this.name.textContent = neuronName(manifest.model, layer, index);
    if (layer === 0) {
      this.bias.textContent = "–";
      this.sum.textContent = "–";
      this.activationLabel.textContent = t("neuron.inputValue");
      this.activation.textContent = fmt(result ? result.activations[0][index] : null);
      this.explain.textContent = t("neuron.explainInput", { shape: input.shape.join("×"), mean: input.mean, std: input.std });
      this.table.hidden = true;
      return;
    }
    if (weights.type !== "linear") {
      // A feature-map value (or a flattened one): computed from a window, not one weight row.
      this.bias.textContent = weights.bias ? fmt(weights.bias[Math.floor(index / (weights.outSize / weights.outShape[0]))]) : "–";
      this.sum.textContent = fmt(result ? result.preActivations[layer - 1][index] : null);
      this.activationLabel.textContent = t("neuron.activation");
      this.activation.textContent = fmt(result ? result.activations[layer][index] : null);
      this.explain.textContent =
        weights.type === "conv2d"
          ? t(weights.channels === 1 ? "neuron.explainConvOne" : "neuron.explainConv", { k: weights.kernel, channels: weights.channels })
          : weights.type === "maxpool2d"
            ? t("neuron.explainPool", { k: weights.kernel })
            : t("neuron.explainFlatten");
      this.table.hidden = true;
      return;
    }
    this.bias.textContent = fmt(weights.bias[index]);
    this.sum.textContent = fmt(result ? result.preActivations[layer - 1][index] : null);
    this.activationLabel.textContent = t(layer === last ? "neuron.probability" : "neuron.activation");
    this.activation.textContent = result
      ? layer === last
        ? `${formatNumber(result.activations[layer][index] * 100, 1)} %`
        : fmt(result.activations[layer][index])
      : "–";
    this.explain.textContent = t(layer === last ? "neuron.explainOutput" : "neuron.explainHidden");
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
