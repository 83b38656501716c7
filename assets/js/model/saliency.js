// Saliency of a class for the current drawing: gradient × input, by backprop through the MLP.
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
import { argmax } from "./mlp.js";

/**
 * Preallocates one gradient buffer per layer for a given MLP shape, so recomputing on
 * every pen stroke allocates nothing. Reads the weights afresh on each call, so swapping
 * snapshot weights into the same MLP needs no new computer.
 */
export class SaliencyComputer {
  /** @param {{layers: {weight: Float32Array, inSize: number, outSize: number}[]}} mlp */
  constructor(mlp) {
    this.layerSizes = [mlp.layers[0].inSize, ...mlp.layers.map((layer) => layer.outSize)];
    // gradients[k] = d logit / d (pre-activation of layer k), k = 0 is the input itself.
    this.gradients = this.layerSizes.map((size) => new Float64Array(size));
    this.pixelGradient = new Float32Array(this.layerSizes[0]);
    this.map = new Float32Array(this.layerSizes[0]);
  }

  /** True when this computer's buffers fit `mlp` (same layer sizes). */
  fits(mlp) {
    const sizes = [mlp.layers[0].inSize, ...mlp.layers.map((layer) => layer.outSize)];
    return sizes.length === this.layerSizes.length && sizes.every((size, i) => size === this.layerSizes[i]);
  }

  /**
   * @param {object} mlp the network whose forward pass produced `result`
   * @param {{preActivations: Float32Array[], logits: Float32Array}} result mlp.forward output
   * @param {ArrayLike<number>} pixels the drawing, one value in 0..1 per input pixel (before normalisation)
   * @param {number} inputStd manifest.model.input.std (normalised = (pixel - mean) / std)
   * @param {number} [classIndex] which class; default the predicted one (largest logit)
   * @returns {{classIndex: number, logit: number, gradient: Float32Array, map: Float32Array, maxAbs: number}}
   *   gradient = d logit / d pixel; map = gradient × pixel; maxAbs = largest |map| value.
   *   The returned arrays are this computer's buffers: copy them to keep them.
   */
  compute(mlp, result, pixels, inputStd, classIndex = argmax(result.logits)) {
    const { layers } = mlp;
    const last = layers.length;
    if (!this.fits(mlp)) throw new Error("SaliencyComputer.compute: the MLP's layer sizes changed; make a new computer");
    if (pixels.length !== this.layerSizes[0]) {
      throw new Error(`SaliencyComputer.compute: expected ${this.layerSizes[0]} pixels, got ${pixels.length}`);
    }
    if (!(classIndex >= 0 && classIndex < this.layerSizes[last])) {
      throw new Error(`SaliencyComputer.compute: class ${classIndex} is not in 0..${this.layerSizes[last] - 1}`);
    }

    const top = this.gradients[last];
    top.fill(0);
    top[classIndex] = 1;
    for (let k = last; k >= 1; k--) {
      const { weight, inSize, outSize } = layers[k - 1];
      const upstream = this.gradients[k];
      const downstream = this.gradients[k - 1];
      downstream.fill(0);
      for (let out = 0; out < outSize; out++) {
        const g = upstream[out];
        if (g === 0) continue; // ReLU-masked units contribute nothing: skip their row
        const row = out * inSize;
        for (let i = 0; i < inSize; i++) downstream[i] += g * weight[row + i];
      }
      // Through the ReLU that produced this layer's input (the input layer has none).
      if (k - 1 >= 1) {
        const pre = result.preActivations[k - 2];
        for (let i = 0; i < inSize; i++) if (!(pre[i] > 0)) downstream[i] = 0;
      }
    }

    const input = this.gradients[0];
    let maxAbs = 0;
    for (let i = 0; i < input.length; i++) {
      const gradient = input[i] / inputStd; // chain rule through (pixel - mean) / std
      this.pixelGradient[i] = gradient;
      this.map[i] = gradient * pixels[i];
      if (Math.abs(this.map[i]) > maxAbs) maxAbs = Math.abs(this.map[i]);
    }
    return {
      classIndex,
      logit: result.logits[classIndex],
      gradient: this.pixelGradient,
      map: this.map,
      maxAbs,
    };
  }
}
