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
const SMALL_K = 32; // up to this k, a sorted list of the k largest beats quickselect (one pass, no copy)
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
    this.best = new Float32Array(SMALL_K);
    this.tied = false; // whether the last row's k-th largest may be shared beyond k values
    this.columnMax = []; // per weight layer: Float32Array(inSize), see columnMaxOf
    this.columnMaxFor = []; // the weight arrays they were computed from
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

  /** Per input column of weight layer l, the largest |weight| (kept per snapshot: its weight array). */
  columnMaxOf(layer, l) {
    const { weight, inSize, outSize } = layer;
    this.columnMax[l] ??= new Float32Array(inSize); // once per model
    const columnMax = this.columnMax[l];
    if (this.columnMaxFor[l] === weight) return columnMax;
    this.columnMaxFor[l] = weight;
    columnMax.fill(0);
    for (let j = 0; j < outSize; j++) {
      for (let k = 0, at = j * inSize; k < inSize; k++, at++) {
        const w = Math.abs(weight[at]);
        if (w > columnMax[k]) columnMax[k] = w;
      }
    }
    return columnMax;
  }

  computeLayer(layer, l, source, topK, threshold) {
    const { weight, inSize, outSize } = layer;
    const live = this.live;
    let n = 0;
    for (let k = 0; k < inSize; k++) if (source?.[k] !== 0) live[n++] = k; // no source: the weights alone, all live
    // |w × a| = |w| × |a|: the layer's largest is the largest column maximum times its |a|, exactly.
    const columnMax = this.columnMaxOf(layer, l);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const k = live[i];
      const v = source ? columnMax[k] * Math.abs(source[k]) : columnMax[k];
      if (v > max) max = v;
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
        if (n >= topK)
          kth = topK <= SMALL_K ? this.kthBySorting(weight, row, source, n, topK) : this.kthBySelecting(weight, row, source, n, topK);
        if (kth > 0 && kth >= cut && this.tied) lastTie = this.lastTie(weight, row, source, n, kth, topK) + this.offsets[l];
        cut = Math.max(cut, kth, TINY);
      }
      this.cuts[base + j] = cut;
      this.lastTies[base + j] = lastTie;
    }
  }

  /** The k-th largest |contribution| of a row: the k largest kept sorted in `best` (most values are smaller and pass by). */
  kthBySorting(weight, row, source, n, topK) {
    const best = this.best.fill(0, 0, topK);
    const live = this.live;
    let smallest = 0; // best[topK - 1]
    let tie = -1; // a value turned away or pushed out while equal to the k-th largest so far
    for (let i = 0; i < n; i++) {
      const k = live[i];
      const v = Math.fround(Math.abs(source ? weight[row + k] * source[k] : weight[row + k]));
      if (v <= smallest) {
        if (v === smallest) tie = v;
        continue;
      }
      let at = topK - 1;
      while (at > 0 && best[at - 1] < v) {
        best[at] = best[at - 1];
        at--;
      }
      const evicted = best[topK - 1];
      best[at] = v;
      smallest = best[topK - 1];
      if (evicted === smallest) tie = evicted;
    }
    // Only a value equal to the final k-th left out means more than k at the cut (see lastTie).
    this.tied = tie === smallest;
    return smallest;
  }

  kthBySelecting(weight, row, source, n, topK) {
    const live = this.live;
    this.tied = true; // not known: lastTie finds out
    for (let i = 0; i < n; i++) {
      const k = live[i];
      this.scratch[i] = Math.abs(source ? weight[row + k] * source[k] : weight[row + k]);
    }
    return kthLargest(this.scratch, n, topK - 1);
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
