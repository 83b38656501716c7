// Forward pass of the exported multi-layer perceptron (ReLU hidden layers,
// softmax output) in float32. Every buffer is allocated once in the
// constructor: forward() runs on every stroke and must not create garbage.

export class MLP {
  /** @param {Map<string, {shape: number[], data: Float32Array}>} tensors layers.{i}.weight [out, in] and layers.{i}.bias [out] */
  constructor(tensors) {
    this.layers = [];
    for (let i = 0; tensors.has(`layers.${i}.weight`); i++) {
      const weight = tensors.get(`layers.${i}.weight`);
      const bias = tensors.get(`layers.${i}.bias`);
      if (!bias) throw new Error(`layers.${i}.bias is missing`);
      const [outSize, inSize] = weight.shape;
      if (bias.shape.length !== 1 || bias.shape[0] !== outSize) throw new Error(`layers.${i}.bias does not match layers.${i}.weight`);
      if (i > 0 && inSize !== this.layers[i - 1].outSize) throw new Error(`layers.${i}.weight does not follow layers.${i - 1}`);
      this.layers.push({ weight: weight.data, bias: bias.data, inSize, outSize });
    }
    if (this.layers.length === 0) throw new Error("no layers.0.weight tensor");
    this.sizes = [this.layers[0].inSize, ...this.layers.map((layer) => layer.outSize)];
    const preActivations = this.layers.map((layer) => new Float32Array(layer.outSize));
    this.result = {
      preActivations,
      activations: [new Float32Array(this.sizes[0]), ...this.layers.map((layer) => new Float32Array(layer.outSize))],
      logits: preActivations.at(-1),
    };
  }

  /**
   * Run one normalised input (length = input size) through the network.
   * Returns the same preallocated result object every call: copy what must outlive the next call.
   */
  forward(input) {
    const { preActivations, activations } = this.result;
    activations[0].set(input);
    const last = this.layers.length - 1;
    for (let l = 0; l <= last; l++) {
      const { weight, bias, inSize, outSize } = this.layers[l];
      const x = activations[l];
      const pre = preActivations[l];
      const out = activations[l + 1];
      for (let j = 0; j < outSize; j++) {
        let sum = bias[j];
        const row = j * inSize;
        for (let k = 0; k < inSize; k++) sum += weight[row + k] * x[k];
        pre[j] = sum;
        if (l < last) out[j] = sum > 0 ? sum : 0;
      }
      if (l === last) softmax(pre, out);
    }
    return this.result;
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

/** Index of the largest value (the predicted class for probabilities or logits). */
export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * Learned numbers of each layer after the input, for layer sizes [input, …, output]:
 * in × out weights plus out biases. Entry l − 1 belongs to layer l.
 */
export function layerParameterCounts(sizes) {
  return sizes.slice(1).map((size, l) => sizes[l] * size + size);
}

/** All the learned numbers of an MLP with these layer sizes: Σ (in × out + out). */
export function parameterCount(sizes) {
  return layerParameterCounts(sizes).reduce((sum, count) => sum + count, 0);
}
