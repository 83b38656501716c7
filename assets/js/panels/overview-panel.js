// The network at a glance: layer sizes, parameter counts and how many
// neurons are active for the current drawing. Rows built once.
import { layerParameterCounts, parameterCount } from "../model/mlp.js";

export class OverviewPanel {
  constructor(table) {
    this.body = table.querySelector("tbody");
    this.foot = table.createTFoot();
    this.rows = null;
  }

  build({ layer_sizes: sizes, input }) {
    const parameters = layerParameterCounts(sizes); // parameters[l - 1] belongs to layer l
    this.rows = sizes.map((size, l) => {
      const row = this.body.insertRow();
      const [name, neurons, learned, active] = Array.from({ length: 4 }, () => row.insertCell());
      name.textContent = l === 0 ? `Input ${input.shape.join("×")}` : l === sizes.length - 1 ? "Output" : `Hidden ${l}`;
      neurons.textContent = size.toLocaleString("en");
      learned.textContent = l === 0 ? "–" : parameters[l - 1].toLocaleString("en");
      return { active };
    });
    const total = parameterCount(sizes);
    const row = this.foot.insertRow();
    const label = row.insertCell();
    label.colSpan = 2;
    label.textContent = "Learned numbers";
    const count = row.insertCell();
    count.textContent = total.toLocaleString("en");
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
        active.textContent = "softmax";
        return;
      }
      // Input: pixels with ink; hidden: neurons that ReLU lets through.
      const counted = l === 0 ? state.pixels : values;
      const floor = l === 0 ? 0.05 : 0;
      let on = 0;
      for (let i = 0; i < counted.length; i++) if (counted[i] > floor) on++;
      active.textContent = `${Math.round((on / values.length) * 100)} %`;
    });
  }
}
