// The 3D network as one view of the app state: neurons, connections, labels,
// the focus ring and the legend's explanation.

import { argmax } from "../model/mlp.js";
import { layout } from "../model/neuron-layout.js";
import { cssGradient } from "../model/palette.js";
import { ConnectionLines } from "./connection-lines.js";
import { NeuronMesh } from "./neuron-mesh.js";

const RELEVANT = ["snapshot", "result", "settings", "focus"]; // what changes the picture

export class NetworkView {
  constructor(scene, legend, { onSelect }) {
    this.scene = scene;
    this.onSelect = onSelect;
    this.legendText = legend.text;
    legend.bar.style.background = cssGradient();
    this.layout = null;
  }

  /** Create the neurons, lines and labels for this model (manifest.model, once), and start compiling their shaders. */
  build({ layer_sizes: sizes, input }) {
    if (this.layout) return;
    this.layout = layout(sizes, input.shape);
    this.neurons = new NeuronMesh(this.layout);
    this.lines = new ConnectionLines(this.layout);
    this.scene.add(this.lines.lines);
    for (const object of this.neurons.objects) this.scene.add(object);
    const { layers, positions } = this.layout;
    layers.forEach((layer, l) => {
      const bottom = -((layer.rows - 1) / 2) * layer.spacing - 0.9;
      const title =
        layer.kind === "input" ? `Input · ${layer.size} pixels` : layer.kind === "output" ? "Output" : `Hidden ${l} · ${layer.size}`;
      this.scene.addLabel(title, layer.x, bottom, 0, "layer");
    });
    // Fit the home view to the neurons plus room for the labels around them.
    const margin = new Float32Array(positions.length + 6);
    margin.set(positions);
    const last = layers.at(-1);
    margin.set([last.x + 1.4, 0, 1.2, layers[0].x, -((layers[0].rows - 1) / 2) * layers[0].spacing - 1.4, 0], positions.length);
    this.scene.setFitPoints(margin);
    const output = layers.at(-1);
    this.outputLabels = Array.from({ length: output.size }, (_, d) => {
      const at = (output.offset + d) * 3;
      const away = 0.8; // to the right of the neuron, along its card
      const label = this.scene.addLabel(
        String(d),
        positions[at] + away * Math.cos(this.layout.yaw),
        positions[at + 1],
        positions[at + 2] + away * Math.sin(this.layout.yaw),
        "output",
      );
      label.addEventListener("click", () => this.onSelect(layers.length - 1, d)); // a bigger target than the neuron
      return label;
    });
    this.scene.compile();
  }

  /** Overall neuron index → { layer, index }. */
  neuronAt(overall) {
    const l = this.layout.layers.findIndex((layer) => overall < layer.offset + layer.size);
    return { layer: l, index: overall - this.layout.layers[l].offset };
  }

  overallIndex({ layer, index }) {
    return this.layout.layers[layer].offset + index;
  }

  pick(clientX, clientY) {
    if (!this.layout) return null;
    const overall = this.scene.pick(clientX, clientY, this.layout.positions);
    return overall < 0 ? null : this.neuronAt(overall);
  }

  update(state, changed) {
    if (changed.has("manifest")) this.build(state.manifest.model); // while the first snapshot downloads
    if (!state.snapshot || !RELEVANT.some((key) => changed.has(key))) return;
    const focus = state.hovered ?? state.selected;
    this.neurons.update(state.result);
    this.neurons.mark(focus ? this.overallIndex(focus) : -1);
    const { topK, threshold } = state.settings;
    this.lines.update(state.snapshot.network, state.result ? state.result.activations : null, { topK, threshold, focus });
    const top = state.result ? argmax(state.result.activations.at(-1)) : -1;
    this.outputLabels.forEach((label, d) => {
      label.classList.toggle("top", d === top);
    });
    this.legendText.textContent = state.result
      ? "Neuron colour: its weighted sum (blue is negative: ReLU turns it off). Size: its activation. Lines: weight × incoming activation. Scaled per layer."
      : "Lines: the learned weights (orange positive, blue negative), strongest per neuron. Draw a digit to see what flows through them.";
    this.scene.requestRender();
  }
}
