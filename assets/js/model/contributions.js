// Which connections to draw and how strongly. A connection's value is its
// contribution to the target neuron's weighted sum: weight × incoming
// activation (or the bare weight while the pad is blank). Values are scaled
// per layer to [-1, 1]. Pure: fills preallocated id/value arrays, no three.js.

/** Segment id of connection source k → target j in weight layer l: layerBase[l] + j * inSize + k. */
export function segmentBases(sizes) {
  const bases = [0];
  for (let l = 0; l < sizes.length - 2; l++) bases.push(bases[l] + sizes[l] * sizes[l + 1]);
  return { bases, total: bases.at(-1) + sizes.at(-2) * sizes.at(-1) };
}

/** In-place k-th largest value of scratch[0..n) (0-based k), by quickselect. */
export function kthLargest(scratch, n, k) {
  let lo = 0,
    hi = n - 1;
  while (lo < hi) {
    const pivot = scratch[(lo + hi) >> 1];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (scratch[i] > pivot) i++;
      while (scratch[j] < pivot) j--;
      if (i <= j) {
        const t = scratch[i];
        scratch[i] = scratch[j];
        scratch[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return scratch[k];
}

export class ConnectionSelector {
  constructor(sizes) {
    this.sizes = sizes;
    const { bases, total } = segmentBases(sizes);
    this.bases = bases;
    this.total = total;
    this.ids = new Int32Array(total); // visible segments, in drawing order
    this.values = new Float32Array(total); // their scaled values in [-1, 1]
    this.count = 0;
    this.scratch = new Float32Array(Math.max(...sizes));
    this.layerMax = new Float32Array(sizes.length - 1);
    this.layerEnd = new Int32Array(sizes.length - 1); // ids[layerEnd[l - 1] .. layerEnd[l]) belong to weight layer l
  }

  /** Largest |contribution| of weight layer l (0 when every contribution is 0). */
  maxOf(layer, source) {
    const { weight, inSize, outSize } = layer;
    let max = 0;
    for (let j = 0; j < outSize; j++) {
      const row = j * inSize;
      for (let k = 0; k < inSize; k++) {
        const v = Math.abs(source ? weight[row + k] * source[k] : weight[row + k]);
        if (v > max) max = v;
      }
    }
    return max;
  }

  push(id, value) {
    this.ids[this.count] = id;
    this.values[this.count] = value;
    this.count++;
  }

  /**
   * Choose the visible connections.
   * activations: the forward pass's activations (index 0 = normalised input) or null for weights only.
   * topK: most strongly contributing connections kept per target neuron; threshold: hide |value| below
   * this fraction of the layer's largest; focus: {layer, index} shows only that neuron's fan-in and fan-out.
   */
  select(mlp, activations, { topK = Infinity, threshold = 0, focus = null } = {}) {
    this.count = 0;
    mlp.layers.forEach((layer, l) => {
      const source = activations ? activations[l] : null;
      const max = this.maxOf(layer, source);
      this.layerMax[l] = max;
      if (max > 0 && focus) {
        if (focus.layer === l + 1) this.addFanIn(layer, l, source, max, threshold, focus.index);
        if (focus.layer === l) this.addFanOut(layer, l, source, max, threshold, focus.index);
      } else if (max > 0) {
        for (let j = 0; j < layer.outSize; j++) this.addRow(layer, l, source, max, threshold, topK, j);
      }
      this.layerEnd[l] = this.count;
    });
    return this.count;
  }

  addRow(layer, l, source, max, threshold, topK, j) {
    const { weight, inSize } = layer;
    const row = j * inSize;
    // With no threshold and no top-k every connection is kept, zeros included: the same ids in the
    // same order on every stroke, so the drawing buffers only need new colours.
    // In float32, as the GPU path keeps its cuts (Float32Array) and compares.
    let cut = Math.fround(threshold * max);
    let budget = inSize;
    if (topK < inSize) {
      for (let k = 0; k < inSize; k++) this.scratch[k] = Math.abs(source ? weight[row + k] * source[k] : weight[row + k]);
      cut = Math.max(cut, kthLargest(this.scratch, inSize, topK - 1), Number.MIN_VALUE);
      budget = topK; // ties at the cut must not let more than k through
    }
    const base = this.bases[l] + row;
    for (let k = 0; k < inSize && budget > 0; k++) {
      const v = source ? weight[row + k] * source[k] : weight[row + k];
      // In float32, as the k-th largest was found (in a Float32Array) and as the GPU compares.
      if (Math.fround(Math.abs(v)) >= cut) {
        this.push(base + k, v / max);
        budget--;
      }
    }
  }

  addFanIn(layer, l, source, max, threshold, j) {
    this.addRow(layer, l, source, max, threshold, Infinity, j);
  }

  addFanOut(layer, l, source, max, threshold, k) {
    const { weight, inSize, outSize } = layer;
    const cut = Math.fround(threshold * max);
    for (let j = 0; j < outSize; j++) {
      const v = source ? weight[j * inSize + k] * source[k] : weight[j * inSize + k];
      if (Math.fround(Math.abs(v)) >= cut) this.push(this.bases[l] + j * inSize + k, v / max);
    }
  }
}
