// The 3D network as one view of the app state: neurons, connections, labels,
// the focus ring and the legend's explanation. A convolutional network's stages before its
// dense part (the input, conv and pool outputs) are image planes (scene/feature-maps.js);
// the dense part (from the flatten on) is neurons and lines, like an MLP's. Layer numbers
// outside this file are the model's stages (0 = the input); `this.offset` maps them.

import { formatNumber, t } from "../i18n/i18n.js";
import { denseStart } from "../model/layers.js";
import { indexAtTexel } from "../model/map-layout.js";
import { argmax } from "../model/mlp.js";
import { gridShape, layout } from "../model/neuron-layout.js";
import { cssGradient } from "../model/palette.js";
import { ConnectionLines } from "./connection-lines.js";
import { applyEmphasis } from "./emphasis.js";
import { FeatureMaps } from "./feature-maps.js";
import { GpuConnectionLines } from "./gpu-connection-lines.js";
import { NeuronMesh } from "./neuron-mesh.js";
import { ReceptiveFieldLines } from "./receptive-field-lines.js";

const RELEVANT = ["snapshot", "result", "settings", "focus", "emphasis"]; // what changes the picture

export class NetworkView {
  /** connections: "cpu" colours the lines on the CPU (the reference the GPU path is tested against), else the GPU does. */
  constructor(scene, legend, { onSelect, connections = "gpu" }) {
    this.scene = scene;
    this.onSelect = onSelect;
    this.Lines = connections === "cpu" ? ConnectionLines : GpuConnectionLines;
    scene.canvas.dataset.connections = connections === "cpu" ? "cpu" : "gpu";
    this.legendText = legend.text;
    legend.bar.style.background = cssGradient();
    this.layout = null;
    this.topKCap = Infinity; // the frame-rate guard's limit on connections per neuron
  }

  /** Create the neurons, lines and labels for this model (manifest.model), and start compiling their shaders. */
  build(model) {
    if (this.model === model) return;
    this.clear();
    this.model = model;
    const { layer_sizes: allSizes, layers: modelLayers, input } = model;
    this.offset = denseStart(modelLayers);
    const sizes = allSizes.slice(this.offset);
    const first = this.offset === 0 ? input.shape : [gridShape(sizes[0]).rows, gridShape(sizes[0]).columns];
    this.layout = layout(sizes, first);
    this.neurons = new NeuronMesh(this.layout);
    this.lines = new this.Lines(this.layout);
    this.scene.add(this.lines.lines);
    for (const object of this.neurons.objects) this.scene.add(object);
    const { layers, positions } = this.layout;
    const mapShapes = [[1, ...input.shape], ...modelLayers.slice(0, Math.max(0, this.offset - 1)).map((layer) => layer.output_shape)];
    this.maps = this.offset > 0 ? new FeatureMaps(layers, mapShapes, this.layout.yaw) : null;
    for (const object of this.maps?.objects ?? []) this.scene.add(object);
    this.field = this.maps ? new ReceptiveFieldLines(this.maps.cards, modelLayers, this.layout.yaw) : null;
    for (const object of this.field?.objects ?? []) this.scene.add(object);
    this.maps?.cards.forEach((card) => {
      const title =
        card.stage === 0
          ? t("scene.inputCard")
          : t(modelLayers[card.stage - 1].type === "conv2d" ? "scene.conv" : "scene.pool", { maps: card.channels });
      this.scene.addLabel(title, card.x, -card.height / 2 - 0.9, 0, "layer");
    });
    layers.forEach((layer, l) => {
      const bottom = -((layer.rows - 1) / 2) * layer.spacing - 0.9;
      const size = formatNumber(layer.size);
      const title =
        layer.kind === "input"
          ? t(this.offset > 0 ? "scene.flatten" : "scene.input", { size })
          : layer.kind === "output"
            ? t("scene.output")
            : t("scene.hidden", { layer: l + this.offset, size });
      this.scene.addLabel(title, layer.x, bottom, 0, "layer");
    });
    // Fit the home view to the neurons plus room for the labels around them.
    const corners = this.maps ? this.maps.corners(this.layout.yaw) : [];
    const margin = new Float32Array(positions.length + 6 + corners.length);
    margin.set(positions);
    const last = layers.at(-1);
    margin.set([last.x + 1.4, 0, 1.2, layers[0].x, -((layers[0].rows - 1) / 2) * layers[0].spacing - 1.4, 0], positions.length);
    margin.set(corners, positions.length + 6);
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
      label.addEventListener("click", () => this.onSelect(layers.length - 1 + this.offset, d)); // a bigger target than the neuron
      return label;
    });
    this.scene.compile();
  }

  /** Take the previous model's objects and labels out of the scene (another export was opened). */
  clear() {
    if (!this.layout) return;
    const objects = [this.lines.lines, ...this.neurons.objects, ...(this.maps?.objects ?? []), ...(this.field?.objects ?? [])];
    for (const object of objects) {
      this.scene.remove(object);
      object.geometry.dispose();
      object.material.map?.dispose();
      object.material.dispose();
    }
    this.lines.dispose();
    this.scene.clearLabels();
    this.denseNetwork = null;
    this.denseResult = null;
  }

  /** Overall neuron index → { layer, index }. */
  neuronAt(overall) {
    const l = this.layout.layers.findIndex((layer) => overall < layer.offset + layer.size);
    return { layer: l + this.offset, index: overall - this.layout.layers[l].offset };
  }

  /** A neuron of the model ({ layer: stage, index }) → its overall index among the 3D neurons, or -1 (a feature map). */
  overallIndex({ layer, index }) {
    const dense = this.layout.layers[layer - this.offset];
    return dense ? dense.offset + index : -1;
  }

  /** The dense part of the forward pass and of the network, as the neuron and line views index them (rebuilt per snapshot). */
  denseParts(network, result) {
    if (this.denseNetwork?.source !== network) this.denseNetwork = { source: network, layers: network.layers.slice(this.offset) };
    if (result && this.denseResult?.source !== result) {
      const { activations, preActivations } = result;
      this.denseResult = { source: result, activations: activations.slice(this.offset), preActivations: preActivations.slice(this.offset) };
    }
    return { denseNetwork: this.denseNetwork, denseResult: result ? this.denseResult : null };
  }

  /** The neuron, or feature-map value ({ layer: its stage, index }), under the pointer, or null. */
  pick(clientX, clientY) {
    if (!this.layout) return null;
    const overall = this.scene.pick(clientX, clientY, this.layout.positions);
    if (overall >= 0) return this.neuronAt(overall);
    const hit = this.maps && this.scene.raycast(clientX, clientY, this.maps.objects);
    if (!hit?.uv) return null;
    const { card } = hit.object.userData;
    // uv's v runs up from the card's bottom; texel rows count down from its top.
    const x = Math.min(card.textureWidth - 1, Math.floor(hit.uv.x * card.textureWidth));
    const y = Math.min(card.textureHeight - 1, Math.floor((1 - hit.uv.y) * card.textureHeight));
    const index = indexAtTexel(card, x, y);
    return index < 0 ? null : { layer: card.stage, index };
  }

  /** The hovered (or selected) feature-map value's receptive field, and the readout tests and people can check. */
  showReceptiveField(network, result, focused) {
    const shown = this.field?.update(network.layers, result?.activations ?? null, focused) ?? null;
    this.scene.canvas.dataset.receptiveField = shown
      ? `layer=${shown.stage} map=${shown.map} row=${shown.row} column=${shown.column} from=${shown.from} lines=${shown.lines}`
      : "";
  }

  update(state, changed) {
    if (changed.has("manifest")) this.build(state.manifest.model); // while the first snapshot downloads
    if (!state.snapshot || !RELEVANT.some((key) => changed.has(key))) return;
    const focused = state.hovered ?? state.selected;
    const focus = focused && focused.layer >= this.offset ? { layer: focused.layer - this.offset, index: focused.index } : null;
    const { denseNetwork, denseResult } = this.denseParts(state.snapshot.network, state.result);
    this.neurons.update(denseResult);
    this.maps?.update(state.result);
    this.neurons.mark(focused ? this.overallIndex(focused) : -1);
    const { topK, threshold } = state.settings;
    const shownTopK = Math.min(topK, this.topKCap);
    this.lines.update(denseNetwork, denseResult ? denseResult.activations : null, { topK: shownTopK, threshold, focus });
    this.showReceptiveField(state.snapshot.network, state.result, focused);
    applyEmphasis(this.neurons, this.lines, this.layout, state.emphasis, this.scene.canvas, this.offset); // the tour's dimming
    const top = state.result ? argmax(state.result.activations.at(-1)) : -1;
    this.outputLabels.forEach((label, d) => {
      label.classList.toggle("top", d === top);
    });
    this.legendText.textContent = t(state.result ? "scene.legendResult" : "scene.legendBlank");
    this.scene.requestRender();
  }
}
