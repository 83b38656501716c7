// What one feature-map value is computed from, for the 3D view's receptive-field lines and the
// neuron panel: the source values of the stage before (their indices) and each one's
// contribution, with the same sign convention as the dense connections (weight × incoming
// activation, or the bare weight while the pad is blank). Pure, no DOM; the arrays are
// allocated once per network shape and rewritten in place on every hover and stroke.
//
// A conv2d value o,y,x sums kernel × window over every input channel (k·k·C sources; fewer at
// the border, where the padding's zeros are not sources); its contributions plus the bias are
// its weighted sum. A max-pool value looks at a k×k window of its own channel and passes on
// the largest: that winner contributes its value, the others nothing.

/** The map, row and column of value `index` of a [channels, rows, columns] stage. */
export function mapPosition([, rows, columns], index) {
  const plane = rows * columns;
  const map = Math.floor(index / plane);
  const within = index - map * plane;
  const row = Math.floor(within / columns);
  return { map, row, column: within - row * columns };
}

/** The most sources any value of these layers (manifest.model.layers) reads: a buffer size. */
export function largestField(layers) {
  let largest = 0;
  for (const layer of layers) {
    if (layer.type === "conv2d") largest = Math.max(largest, layer.kernel_size ** 2 * layer.input_shape[0]);
    if (layer.type === "maxpool2d") largest = Math.max(largest, layer.kernel_size ** 2);
  }
  return largest;
}

export class ReceptiveField {
  /** @param {number} size the most sources a value can have (largestField) */
  constructor(size) {
    this.sources = new Int32Array(size); // indices into the stage before
    this.contributions = new Float32Array(size); // raw: weight × input (conv) or the winner's value (pool)
    this.scaled = new Float32Array(size); // contributions / the largest |contribution|, in [-1, 1]
    this.count = 0;
    this.kind = null; // "conv2d" or "maxpool2d" of the last compute
    this.winner = -1; // max-pool: the slot of the value passed on
  }

  /**
   * Fill the sources of value `index` of stage `stage` (stage s is layer s − 1's output) of a
   * network's runtime layers (Network.layers).
   * `input`: that layer's input (the forward pass's activations[stage − 1]) or null for weights
   * only. Returns the number of sources (0 for a stage that is not a conv2d or max-pool output).
   */
  compute(layers, stage, index, input) {
    const layer = layers[stage - 1];
    this.count = 0;
    this.winner = -1;
    this.kind = layer && (layer.type === "conv2d" || layer.type === "maxpool2d") ? layer.type : null;
    if (!this.kind) return 0;
    const { channels, rows, columns, kernel, stride, padding } = layer;
    const { map, row, column } = mapPosition(layer.outShape, index);
    const top = row * stride - padding;
    const left = column * stride - padding;
    const plane = rows * columns;
    const fromChannel = this.kind === "conv2d" ? 0 : map;
    const toChannel = this.kind === "conv2d" ? channels : map + 1;
    let best = -Infinity;
    for (let c = fromChannel; c < toChannel; c++) {
      for (let i = 0; i < kernel; i++) {
        const y = top + i;
        if (y < 0 || y >= rows) continue;
        for (let j = 0; j < kernel; j++) {
          const x = left + j;
          if (x < 0 || x >= columns) continue;
          const source = c * plane + y * columns + x;
          const slot = this.count++;
          this.sources[slot] = source;
          if (this.kind === "conv2d") {
            const w = layer.weight[((map * channels + c) * kernel + i) * kernel + j];
            this.contributions[slot] = input ? w * input[source] : w;
          } else {
            this.contributions[slot] = 0;
            // The first of equal maxima wins, as in the forward pass's strict comparison.
            if (input && input[source] > best) {
              best = input[source];
              this.winner = slot;
            }
          }
        }
      }
    }
    if (this.winner >= 0) this.contributions[this.winner] = best;
    let max = 0;
    for (let s = 0; s < this.count; s++) max = Math.max(max, Math.abs(this.contributions[s]));
    const scale = max > 0 ? 1 / max : 0;
    for (let s = 0; s < this.count; s++) this.scaled[s] = this.contributions[s] * scale;
    return this.count;
  }
}

/**
 * Statistics of map `map` of a stage's values (Float32Array over [channels, rows, columns]):
 * { min, max, mean, active } with `active` the share of values above 0.
 */
export function mapStatistics(values, [, rows, columns], map) {
  const plane = rows * columns;
  let min = Infinity,
    max = -Infinity,
    sum = 0,
    active = 0;
  for (let i = map * plane; i < (map + 1) * plane; i++) {
    const v = values[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    if (v > 0) active++;
  }
  return { min, max, mean: sum / plane, active: active / plane };
}
