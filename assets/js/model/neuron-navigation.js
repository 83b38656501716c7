// Moving a keyboard focus through the network, as the 3D view lays it out: arrows within a
// layer (left/right one neuron, up/down one row of its grid), Page Up / Page Down to the
// layer before / after (at the same relative place), Home / End to a layer's ends. A CNN's
// convolution and pooling stages are lists of feature maps: there the focus moves map by map.
// Pure: no DOM.
import { denseStart } from "./layers.js";
import { gridShape } from "./neuron-layout.js";

/**
 * The focusable layers of a model (manifest.model), one per stage:
 * { stage, kind: "pixels" | "maps" | "neurons", count, columns, mapSize }.
 * `count` is the pixels, maps or neurons; `columns` the width of its grid in the 3D view
 * (a map stage is one list: columns = 1); `mapSize` the values per map (maps only).
 */
export function navigationLayers({ layer_sizes: sizes, layers = [], input }) {
  const offset = denseStart(layers);
  return sizes.map((size, stage) => {
    if (stage === 0) return { stage, kind: "pixels", count: size, columns: input.shape[1] };
    if (stage < offset) {
      const [maps] = layers[stage - 1].output_shape;
      return { stage, kind: "maps", count: maps, columns: 1, mapSize: size / maps };
    }
    const columns = stage === sizes.length - 1 ? 1 : gridShape(size).columns;
    return { stage, kind: "neurons", count: size, columns };
  });
}

/**
 * The focus after `key` ({ stage, index }; index counts pixels, maps or neurons), or null
 * when the key does not move it. Moves stop at the edges.
 */
export function moveFocus(layers, { stage, index }, key) {
  const layer = layers[stage];
  const clamp = (value, count) => Math.max(0, Math.min(count - 1, value));
  const within = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -layer.columns,
    ArrowDown: layer.columns,
  }[key];
  if (within !== undefined) return { stage, index: clamp(index + within, layer.count) };
  if (key === "Home") return { stage, index: 0 };
  if (key === "End") return { stage, index: layer.count - 1 };
  const step = { PageUp: -1, PageDown: 1 }[key];
  if (step === undefined) return null;
  const next = layers[clamp(stage + step, layers.length)];
  const share = layer.count > 1 ? index / (layer.count - 1) : 0;
  return { stage: next.stage, index: Math.round(share * (next.count - 1)) };
}

/**
 * The model's neuron ({ layer, index }) for a focus: itself for pixels and neurons; for a
 * feature map, its strongest value for the current drawing (`activations` of that stage,
 * flat), else its centre.
 */
export function focusedNeuron(layers, { stage, index }, activations) {
  const layer = layers[stage];
  if (layer.kind !== "maps") return { layer: stage, index };
  const start = index * layer.mapSize;
  let best = start + Math.floor(layer.mapSize / 2);
  if (activations) {
    for (let i = start; i < start + layer.mapSize; i++) if (activations[i] > activations[best]) best = i;
  }
  return { layer: stage, index: best };
}
