// The little the CPU still computes per stroke when the GPU colours the connections
// (scene/gpu-connection-lines.js): each weight layer's largest |contribution| (the scale of
// its colours) and, per target neuron, the smallest |contribution| still shown — the k-th
// largest of its fan-in (top-k) or the threshold, whichever is higher. The same semantics as
// ConnectionSelector.select (model/contributions.js), which stays the reference; here only
// the sources that are not zero are visited (most of a drawing's pixels and many ReLU
// outputs are), which is what makes a stroke cheap. Pure; fills preallocated buffers.

import { kthLargest } from "./contributions.js";

// The smallest normal float32: Number.MIN_VALUE would round to 0 in a Float32Array (and so let
// the zeros through) and the GPU may flush subnormals to 0.
const TINY = 2 ** -126;
const NO_TIE_LIMIT = 2 ** 24; // above every neuron index: all values equal to the cut are shown

export class ContributionCuts {
  /** sizes: the dense layers' sizes (the first is the input or a CNN's flatten). */
  constructor(sizes) {
    this.sizes = sizes;
    this.offsets = new Int32Array(sizes.length); // overall index of each layer's first neuron
    for (let l = 1; l < sizes.length; l++) this.offsets[l] = this.offsets[l - 1] + sizes[l - 1];
    this.neurons = this.offsets.at(-1) + sizes.at(-1);
    this.cuts = new Float32Array(this.neurons); // per target neuron (overall index); layer 0 stays 0
    this.lastTies = new Float32Array(this.neurons); // per target neuron: the last source shown (top-k's ties)
    this.layerMax = new Float32Array(sizes.length - 1);
    this.thresholdCut = new Float32Array(sizes.length - 1); // threshold × layerMax (a focused neuron's lines)
    const largest = Math.max(...sizes);
    this.live = new Int32Array(largest); // the source indices that are not zero
    this.scratch = new Float32Array(largest);
    this.weightsOnly = { layers: null, topK: NaN, threshold: NaN }; // what the weights-only cuts were computed for
  }

  /**
   * activations: the forward pass's dense activations (index 0 = the dense input) or null (weights only).
   * Fills layerMax, thresholdCut and cuts. A weights-only call for the weights and settings of
   * the previous one returns at once: the blank pad's picture only changes with them.
   */
  compute(layers, activations, { topK = Infinity, threshold = 0 } = {}) {
    const cache = this.weightsOnly;
    if (!activations) {
      if (cache.layers === layers[0].weight && cache.topK === topK && cache.threshold === threshold) return;
      cache.layers = layers[0].weight;
      cache.topK = topK;
      cache.threshold = threshold;
    } else cache.layers = null;
    for (let l = 0; l < layers.length; l++) this.computeLayer(layers[l], l, activations ? activations[l] : null, topK, threshold);
  }

  computeLayer(layer, l, source, topK, threshold) {
    const { weight, inSize, outSize } = layer;
    const live = this.live;
    let n = 0;
    for (let k = 0; k < inSize; k++) if (source?.[k] !== 0) live[n++] = k; // no source: the weights alone, all live
    let max = 0;
    for (let j = 0; j < outSize; j++) {
      const row = j * inSize;
      for (let i = 0; i < n; i++) {
        const k = live[i];
        const v = Math.abs(source ? weight[row + k] * source[k] : weight[row + k]);
        if (v > max) max = v;
      }
    }
    this.layerMax[l] = max;
    this.thresholdCut[l] = threshold * max;
    const base = this.offsets[l + 1];
    for (let j = 0; j < outSize; j++) {
      let cut = threshold * max;
      let lastTie = NO_TIE_LIMIT;
      if (topK < inSize) {
        // The zeros are the smallest values: the k-th largest of the live ones, or 0 when there are fewer than k.
        let kth = 0;
        const row = j * inSize;
        if (n >= topK) {
          for (let i = 0; i < n; i++) {
            const k = live[i];
            this.scratch[i] = Math.abs(source ? weight[row + k] * source[k] : weight[row + k]);
          }
          kth = kthLargest(this.scratch, n, topK - 1);
        }
        if (kth > 0 && kth >= cut) lastTie = this.lastTie(weight, row, source, n, kth, topK) + this.offsets[l];
        cut = Math.max(cut, kth, TINY);
      }
      this.cuts[base + j] = cut;
      this.lastTies[base + j] = lastTie;
    }
  }

  /**
   * Values equal to the cut (float16 weights tie often) must not let more than k through: as the
   * reference does, the first k at or above the cut in source order are shown, up to this source.
   */
  lastTie(weight, row, source, n, kth, topK) {
    const live = this.live;
    let left = topK;
    for (let i = 0; i < n; i++) {
      const k = live[i];
      if (Math.fround(Math.abs(source ? weight[row + k] * source[k] : weight[row + k])) >= kth && --left === 0) return k;
    }
    return NO_TIE_LIMIT;
  }
}
