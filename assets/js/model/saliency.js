// Saliency of a class for the current drawing: gradient × input, by backprop through the
// network's layers (linear, conv2d, max-pool, flatten and the four activations).
//
// Which gradient: the class LOGIT (pre-softmax score), not its probability. Once the
// network is confident the softmax saturates (p ≈ 1, so dp/dx ≈ 0) and the map would go
// blank exactly when the answer is clearest; the probability's gradient also mixes in
// every other class. The logit's gradient is the evidence for this one class alone.
//
// Which input: the raw pixels (0 = paper, 1 = ink), i.e. gradient × (input − blank pad).
// The network sees normalised pixels (p − mean) / std, so a blank pixel is not zero
// there; multiplying by the normalised value would light up the empty background.
// Against the blank pad baseline only ink gets credit: positive = this ink argues for the
// class, negative = it argues against it.
import { derivative } from "./activations.js";
import { argmax } from "./mlp.js";

/** A network's shape as one string: two networks with the same one share buffers. */
const signature = (network) => network.layers.map((layer) => `${layer.type}:${layer.inSize}>${layer.outSize}`).join(",");

/**
 * Preallocates one gradient buffer per stage and layer for a given network shape, so
 * recomputing on every pen stroke allocates nothing. Reads the weights afresh on each call,
 * so another snapshot of the same model needs no new computer.
 */
export class SaliencyComputer {
  /** @param {import("./network.js").Network} network */
  constructor(network) {
    this.signature = signature(network);
    this.layerSizes = network.sizes;
    // stages[k] = d logit / d activations[k] (k = 0: the normalised input); pre[l] = d logit / d preActivations[l].
    this.stages = network.sizes.map((size) => new Float64Array(size));
    this.pre = network.layers.map((layer) => new Float64Array(layer.outSize));
    this.pixelGradient = new Float32Array(network.sizes[0]);
    this.map = new Float32Array(network.sizes[0]);
  }

  /** True when this computer's buffers fit `network` (same layers and sizes). */
  fits(network) {
    return signature(network) === this.signature;
  }

  /**
   * @param {object} network the network whose forward pass produced `result`
   * @param {{activations: Float32Array[], preActivations: Float32Array[], logits: Float32Array}} result network.forward output
   * @param {ArrayLike<number>} pixels the drawing, one value in 0..1 per input pixel (before normalisation)
   * @param {number} inputStd manifest.model.input.std (normalised = (pixel - mean) / std)
   * @param {number} [classIndex] which class; default the predicted one (largest logit)
   * @returns {{classIndex: number, logit: number, gradient: Float32Array, map: Float32Array, maxAbs: number}}
   *   gradient = d logit / d pixel; map = gradient × pixel; maxAbs = largest |map| value.
   *   The returned arrays are this computer's buffers: copy them to keep them.
   */
  compute(network, result, pixels, inputStd, classIndex = argmax(result.logits)) {
    const { layers } = network;
    const last = layers.length - 1;
    if (!this.fits(network)) throw new Error("SaliencyComputer.compute: the network's layers changed; make a new computer");
    if (pixels.length !== this.layerSizes[0]) {
      throw new Error(`SaliencyComputer.compute: expected ${this.layerSizes[0]} pixels, got ${pixels.length}`);
    }
    if (!(classIndex >= 0 && classIndex < this.layerSizes.at(-1))) {
      throw new Error(`SaliencyComputer.compute: class ${classIndex} is not in 0..${this.layerSizes.at(-1) - 1}`);
    }
    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      const gPre = this.pre[l];
      if (l === last) {
        gPre.fill(0);
        gPre[classIndex] = 1; // the logit itself, not its softmax
      } else {
        const gOut = this.stages[l + 1];
        const pre = result.preActivations[l];
        if (layer.activation === "relu") for (let i = 0; i < gPre.length; i++) gPre[i] = pre[i] > 0 ? gOut[i] : 0;
        else if (layer.activation) for (let i = 0; i < gPre.length; i++) gPre[i] = gOut[i] * derivative(layer.activation, pre[i]);
        else gPre.set(gOut);
      }
      const gIn = this.stages[l];
      if (layer.type === "linear") linearBack(layer, gPre, gIn);
      else if (layer.type === "conv2d") convBack(layer, gPre, gIn);
      else if (layer.type === "maxpool2d") poolBack(layer, result.activations[l], gPre, gIn);
      else gIn.set(gPre); // flatten: the same numbers
    }

    const input = this.stages[0];
    let maxAbs = 0;
    for (let i = 0; i < input.length; i++) {
      const gradient = input[i] / inputStd; // chain rule through (pixel - mean) / std
      this.pixelGradient[i] = gradient;
      this.map[i] = gradient * pixels[i];
      if (Math.abs(this.map[i]) > maxAbs) maxAbs = Math.abs(this.map[i]);
    }
    return { classIndex, logit: result.logits[classIndex], gradient: this.pixelGradient, map: this.map, maxAbs };
  }
}

function linearBack({ weight, inSize, outSize }, gOut, gIn) {
  gIn.fill(0);
  for (let out = 0; out < outSize; out++) {
    const g = gOut[out];
    if (g === 0) continue; // switched-off units contribute nothing: skip their row
    const row = out * inSize;
    for (let i = 0; i < inSize; i++) gIn[i] += g * weight[row + i];
  }
}

function convBack(layer, gOut, gIn) {
  const { weight, channels, rows, columns, outChannels, outRows, outColumns, kernel, stride, padding } = layer;
  gIn.fill(0);
  const plane = rows * columns;
  const kernelArea = kernel * kernel;
  for (let o = 0; o < outChannels; o++) {
    for (let y = 0; y < outRows; y++) {
      const top = y * stride - padding;
      const iFrom = Math.max(0, -top);
      const iTo = Math.min(kernel, rows - top);
      for (let x = 0; x < outColumns; x++) {
        const g = gOut[(o * outRows + y) * outColumns + x];
        if (g === 0) continue;
        const left = x * stride - padding;
        const jFrom = Math.max(0, -left);
        const jTo = Math.min(kernel, columns - left);
        for (let c = 0; c < channels; c++) {
          const w = (o * channels + c) * kernelArea;
          const at = c * plane + top * columns + left;
          for (let i = iFrom; i < iTo; i++) {
            for (let j = jFrom; j < jTo; j++) gIn[at + i * columns + j] += g * weight[w + i * kernel + j];
          }
        }
      }
    }
  }
}

/** Max-pooling passes each window's gradient to the input that won it (the first of equals, as PyTorch). */
function poolBack({ channels, rows, columns, outRows, outColumns, kernel, stride }, input, gOut, gIn) {
  gIn.fill(0);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < outRows; y++) {
      for (let x = 0; x < outColumns; x++) {
        const at = c * rows * columns + y * stride * columns + x * stride;
        let best = at;
        for (let i = 0; i < kernel; i++) {
          for (let j = 0; j < kernel; j++) if (input[at + i * columns + j] > input[best]) best = at + i * columns + j;
        }
        gIn[best] += gOut[(c * outRows + y) * outColumns + x];
      }
    }
  }
}
