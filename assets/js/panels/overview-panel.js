// The network at a glance: layer sizes, parameter counts and how many
// neurons are active for the current drawing. Rows built once.
import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { layerParameterCount } from "../model/layers.js";

const KIND = { conv2d: "overview.conv", maxpool2d: "overview.pool", flatten: "overview.flatten" };

/** Stage `l` of a model (manifest.model) for people: "Input 28×28", "Conv 1 · 8 maps", "Hidden 2", "Output". */
export function layerName({ layer_sizes: sizes, layers, input }, l) {
  if (l === 0) return t("overview.input", { shape: input.shape.join("×") });
  if (l === sizes.length - 1) return t("overview.output");
  return t(KIND[layers[l - 1].type] ?? "overview.hidden", { layer: l, maps: layers[l - 1].output_shape?.[0] });
}

export class OverviewPanel {
  constructor(table) {
    this.body = table.querySelector("tbody");
    this.foot = table.createTFoot();
    this.rows = null;
  }

  build(model) {
    const { layer_sizes: sizes, layers } = model;
    const parameters = layers.map(layerParameterCount); // parameters[l - 1] belongs to stage l
    this.rows = sizes.map((size, l) => {
      const row = this.body.insertRow();
      const [name, neurons, learned, active] = Array.from({ length: 4 }, () => row.insertCell());
      name.textContent = layerName(model, l);
      neurons.textContent = formatNumber(size);
      learned.textContent = l === 0 ? "–" : formatNumber(parameters[l - 1]);
      return { active };
    });
    const total = parameters.reduce((sum, count) => sum + count, 0);
    const row = this.foot.insertRow();
    const label = row.insertCell();
    label.colSpan = 2;
    label.textContent = t("overview.total");
    const count = row.insertCell();
    count.textContent = formatNumber(total);
    row.insertCell();
  }

  update(state, changed) {
    if (changed.has("manifest")) this.build(state.manifest.model);
    if (!state.snapshot || (!changed.has("result") && !changed.has("snapshot"))) return;
    const sizes = state.manifest.model.layer_sizes;
    const activations = state.result?.activations;
    this.rows.forEach(({ active }, l) => {
      if (!activations) {
        active.textContent = "–";
        return;
      }
      const values = activations[l];
      if (l === sizes.length - 1) {
        active.textContent = t("overview.softmax");
        return;
      }
      // Input: pixels with ink; hidden: neurons that ReLU lets through.
      const counted = l === 0 ? state.pixels : values;
      const floor = l === 0 ? 0.05 : 0;
      let on = 0;
      for (let i = 0; i < counted.length; i++) if (counted[i] > floor) on++;
      active.textContent = formatPercent(on / values.length, 0);
    });
  }
}
