// The version-1 multi-layer perceptron (ReLU hidden layers, softmax output), built from its
// tensors, and helpers every view uses. The forward pass is model/network.js's, for every model.
import { layersFromSizes } from "./layers.js";
import { Network } from "./network.js";

/**
 * A version-1 MLP from its tensors alone (layers.{i}.weight [out, in], layers.{i}.bias [out],
 * ReLU between, softmax last): the generic Network over the layer list those tensors imply.
 */
export class MLP extends Network {
  /** @param {Map<string, {shape: number[], data: Float32Array}>} tensors */
  constructor(tensors) {
    const sizes = [];
    for (let i = 0; tensors.has(`layers.${i}.weight`); i++) {
      const [outSize, inSize] = tensors.get(`layers.${i}.weight`).shape;
      const bias = tensors.get(`layers.${i}.bias`);
      if (!bias) throw new Error(`layers.${i}.bias is missing`);
      if (bias.shape.length !== 1 || bias.shape[0] !== outSize) throw new Error(`layers.${i}.bias does not match layers.${i}.weight`);
      if (i > 0 && inSize !== sizes[i]) throw new Error(`layers.${i}.weight does not follow layers.${i - 1}`);
      if (i === 0) sizes.push(inSize);
      sizes.push(outSize);
    }
    if (sizes.length === 0) throw new Error("no layers.0.weight tensor");
    super(layersFromSizes(sizes), tensors);
  }
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
