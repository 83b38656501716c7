// Forward pass of any exported network, given as its list of layers (docs/export-format.md,
// version 2; version 1's MLP is written as the same list by model/layers.js): conv2d with
// stride and zero padding, max-pooling, flatten, linear, the activations relu, tanh,
// sigmoid and gelu, and a softmax at the end, in float32. Every buffer is allocated once
// in the constructor: forward() runs on every stroke and must not create garbage.
//
// The result object (the same one every call):
//   activations[0]        the normalised input (784 values)
//   activations[l + 1]    layer l's output after its activation; the last is the softmax
//   preActivations[l]     layer l's output before its activation (the last: the logits)
//   logits                preActivations.at(-1)
// A layer without an activation shares one buffer for both, and a flatten without one
// shares its input's buffer (it computes nothing).
import { activate } from "./activations.js";
import { denseStart, layerSizes, product } from "./layers.js";

/** One layer ready to run: its shapes, settings and weights (Float32Array, row-major as exported). */
function runtimeLayer(spec, tensors) {
  const tensor = (name) => {
    const found = tensors.get(name);
    if (!found) throw new Error(`tensor "${name}" is missing`);
    return found.data;
  };
  const [channels, rows, columns] = spec.input_shape;
  const [outChannels, outRows, outColumns] = spec.output_shape;
  const layer = {
    type: spec.type,
    activation: spec.activation,
    inSize: product(spec.input_shape),
    outSize: product(spec.output_shape),
    inShape: spec.input_shape,
    outShape: spec.output_shape,
    weight: null,
    bias: null,
  };
  if (spec.type === "conv2d" || spec.type === "maxpool2d") {
    Object.assign(layer, { channels, rows, columns, outChannels, outRows, outColumns });
    Object.assign(layer, { kernel: spec.kernel_size, stride: spec.stride, padding: spec.padding ?? 0 });
  }
  if (spec.type === "conv2d" || spec.type === "linear") {
    layer.weight = tensor(spec.weight);
    layer.bias = spec.bias ? tensor(spec.bias) : null;
  }
  return layer;
}

export class Network {
  /**
   * @param {object[]} layers manifest.model.layers (checked by data/manifest.js)
   * @param {Map<string, {shape: number[], data: Float32Array}>} tensors the snapshot's tensors
   */
  constructor(layers, tensors) {
    if (!Array.isArray(layers) || layers.length === 0) throw new Error("a network needs at least one layer");
    this.specs = layers;
    this.layers = layers.map((spec) => runtimeLayer(spec, tensors));
    this.sizes = layerSizes(layers);
    this.denseFrom = denseStart(layers); // sizes[denseFrom …] are the dense part (neurons and lines)
    const activations = [new Float32Array(this.sizes[0])];
    const preActivations = [];
    const last = this.layers.length - 1;
    this.layers.forEach((layer, l) => {
      const input = activations[l];
      const pre = layer.type === "flatten" ? input : new Float32Array(layer.outSize);
      preActivations.push(pre);
      activations.push(l === last || layer.activation ? new Float32Array(layer.outSize) : pre);
    });
    this.result = { activations, preActivations, logits: preActivations[last] };
  }

  /**
   * Run one normalised input (784 values) through the network.
   * Returns the same preallocated result object every call: copy what must outlive the next call.
   */
  forward(input) {
    const { activations, preActivations } = this.result;
    activations[0].set(input);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const layer = this.layers[l];
      const x = activations[l];
      const pre = preActivations[l];
      if (layer.type === "linear") linear(layer, x, pre);
      else if (layer.type === "conv2d") conv2d(layer, x, pre);
      else if (layer.type === "maxpool2d") maxpool2d(layer, x, pre);
      if (l === last) softmax(pre, activations[l + 1]);
      else if (layer.activation) activate(layer.activation, pre, activations[l + 1]);
    }
    return this.result;
  }
}

function linear({ weight, bias, inSize, outSize }, x, out) {
  for (let j = 0; j < outSize; j++) {
    let sum = bias ? bias[j] : 0;
    const row = j * inSize;
    for (let k = 0; k < inSize; k++) sum += weight[row + k] * x[k];
    out[j] = sum;
  }
}

function conv2d(layer, x, out) {
  const { weight, bias, channels, rows, columns, outChannels, outRows, outColumns, kernel, stride, padding } = layer;
  const plane = rows * columns;
  const kernelArea = kernel * kernel;
  for (let o = 0; o < outChannels; o++) {
    const start = bias ? bias[o] : 0;
    for (let y = 0; y < outRows; y++) {
      const top = y * stride - padding;
      const iFrom = Math.max(0, -top);
      const iTo = Math.min(kernel, rows - top);
      for (let xo = 0; xo < outColumns; xo++) {
        const left = xo * stride - padding;
        const jFrom = Math.max(0, -left);
        const jTo = Math.min(kernel, columns - left);
        let sum = start;
        for (let c = 0; c < channels; c++) {
          const w = (o * channels + c) * kernelArea;
          const at = c * plane + top * columns + left;
          for (let i = iFrom; i < iTo; i++) {
            const wRow = w + i * kernel;
            const xRow = at + i * columns;
            for (let j = jFrom; j < jTo; j++) sum += weight[wRow + j] * x[xRow + j];
          }
        }
        out[(o * outRows + y) * outColumns + xo] = sum;
      }
    }
  }
}

function maxpool2d({ channels, rows, columns, outRows, outColumns, kernel, stride }, x, out) {
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < outRows; y++) {
      for (let xo = 0; xo < outColumns; xo++) {
        const at = c * rows * columns + y * stride * columns + xo * stride;
        let max = -Infinity;
        for (let i = 0; i < kernel; i++) {
          for (let j = 0; j < kernel; j++) {
            const v = x[at + i * columns + j];
            if (v > max) max = v;
          }
        }
        out[(c * outRows + y) * outColumns + xo] = max;
      }
    }
  }
}

function softmax(logits, out) {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] - max);
    total += out[i];
  }
  for (let i = 0; i < logits.length; i++) out[i] /= total;
}
