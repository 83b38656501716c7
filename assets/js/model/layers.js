// The model as a list of layers (docs/export-format.md, version 2): shapes, sizes and
// parameter counts, and version 1's MLP written as the same list, so the page has one
// description of every network. Pure: no DOM, no three.js.

/** The activations a layer may apply to its output (null: none). */
export const ACTIVATIONS = Object.freeze(["relu", "tanh", "sigmoid", "gelu"]);
export const LAYER_TYPES = Object.freeze(["conv2d", "maxpool2d", "flatten", "linear"]);

/** The number of values of a shape ([n] or [channels, rows, columns]). */
export const product = (shape) => shape.reduce((total, n) => total * n, 1);

/** Output length along one side of a convolution or pooling window: ⌊(n + 2p − k) / s⌋ + 1. */
export const windowOutput = (n, kernel, stride, padding = 0) => Math.floor((n + 2 * padding - kernel) / stride) + 1;

/** Version 1's ReLU MLP, layer_sizes [784, …, 10], as a version-2 layer list (tensors layers.{i}.*). */
export function layersFromSizes(sizes) {
  return sizes.slice(1).map((out, i) => ({
    type: "linear",
    module: String(2 * i),
    input_shape: [sizes[i]],
    output_shape: [out],
    in_features: sizes[i],
    out_features: out,
    weight: `layers.${i}.weight`,
    bias: `layers.${i}.bias`,
    activation: i < sizes.length - 2 ? "relu" : null,
  }));
}

/** Values per stage: the input, then every layer's output (flatten included): [784, …, 10]. */
export function layerSizes(layers) {
  return [product(layers[0].input_shape), ...layers.map((layer) => product(layer.output_shape))];
}

/** The shape of a layer's weight tensor, or null for a layer without weights. */
export function weightShape(layer) {
  if (layer.type === "conv2d") return [layer.out_channels, layer.in_channels, layer.kernel_size, layer.kernel_size];
  if (layer.type === "linear") return [layer.out_features, layer.in_features];
  return null;
}

/** Learned numbers of one layer: its weights and its bias (if any). */
export function layerParameterCount(layer) {
  const shape = weightShape(layer);
  if (!shape) return 0;
  return product(shape) + (layer.bias ? shape[0] : 0);
}

/** Multiply-adds of one forward pass through a layer (what a stroke costs). */
export function layerMultiplyAdds(layer) {
  if (layer.type === "conv2d") return product(layer.output_shape) * layer.in_channels * layer.kernel_size ** 2;
  if (layer.type === "linear") return layer.in_features * layer.out_features;
  if (layer.type === "maxpool2d") return product(layer.output_shape) * layer.kernel_size ** 2;
  return 0;
}

/**
 * Where the dense part starts: the index into layerSizes(layers) of the vector that feeds
 * the trailing run of linear layers (0 for an MLP: the input; for a CNN, the flatten's
 * output). Everything before it is feature maps.
 */
export function denseStart(layers) {
  let start = layers.length;
  while (start > 0 && layers[start - 1].type === "linear") start--;
  return start;
}
