// Receptive fields of feature-map values: on the committed CNN export's real weights and a
// real probe digit, every conv value's contributions plus its bias are its weighted sum as the
// forward pass computed it (itself checked against PyTorch by tests/page/test_oracle.py), and
// every pool value's winner is its output; a small hand-computed convolution checks the
// indices, the border and the sign convention.
import assert from "node:assert/strict";
import { test } from "node:test";
import { sampleSetFromTensors } from "../../assets/js/data/export-files.js";
import { Network } from "../../assets/js/model/network.js";
import { normalise } from "../../assets/js/model/preprocess.js";
import { largestField, mapPosition, mapStatistics, ReceptiveField } from "../../assets/js/model/receptive-field.js";
import { committedManifest, committedTensors } from "./helpers.mjs";

const manifest = await committedManifest("cnn_weights.json");
const network = new Network(manifest.model.layers, await committedTensors(manifest.timeline.at(-1).file));
const probe = sampleSetFromTensors(await committedTensors(manifest.probe.file), manifest.model.input.shape);

test("every conv value of the CNN is its bias plus the contributions of its k·k·C sources", () => {
  const result = network.forward(normalise(probe.pixels(0), manifest.model.input));
  const field = new ReceptiveField(largestField(manifest.model.layers));
  assert.equal(field.sources.length, 5 * 5 * 8, "the CNN's largest field: its second conv's");
  network.layers.forEach((layer, l) => {
    if (layer.type !== "conv2d") return;
    const stage = l + 1;
    let interior = 0;
    for (let index = 0; index < layer.outSize; index++) {
      const count = field.compute(network.layers, stage, index, result.activations[l]);
      const { map, row, column } = mapPosition(layer.outShape, index);
      const inside = (n, size) => n - layer.padding >= 0 && n - layer.padding + layer.kernel <= size;
      if (inside(row, layer.rows) && inside(column, layer.columns)) {
        assert.equal(count, layer.kernel ** 2 * layer.channels);
        interior++;
      } else assert.ok(count < layer.kernel ** 2 * layer.channels && count > 0);
      let sum = layer.bias[map];
      for (let s = 0; s < count; s++) sum += field.contributions[s];
      const expected = result.preActivations[l][index];
      assert.ok(Math.abs(sum - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `stage ${stage} value ${index}: ${sum} vs ${expected}`);
      for (let s = 0; s < count; s++) assert.ok(Math.abs(field.scaled[s]) <= 1);
    }
    assert.ok(interior > 0);
  });
});

test("every max-pool value's winner is its output; the other sources contribute nothing", () => {
  const result = network.forward(normalise(probe.pixels(3), manifest.model.input));
  const field = new ReceptiveField(largestField(manifest.model.layers));
  network.layers.forEach((layer, l) => {
    if (layer.type !== "maxpool2d") return;
    for (let index = 0; index < layer.outSize; index++) {
      assert.equal(field.compute(network.layers, l + 1, index, result.activations[l]), layer.kernel ** 2);
      const { map } = mapPosition(layer.outShape, index);
      const plane = layer.rows * layer.columns;
      for (let s = 0; s < field.count; s++) assert.equal(Math.floor(field.sources[s] / plane), map, "a pool reads its own map");
      assert.equal(field.contributions[field.winner], result.activations[l + 1][index]);
      assert.equal(result.activations[l][field.sources[field.winner]], result.activations[l + 1][index]);
      for (let s = 0; s < field.count; s++) if (s !== field.winner) assert.equal(field.contributions[s], 0);
    }
  });
});

test("a hand-computed 3×3 convolution with padding 1 on a 2-channel 3×3 input", () => {
  // Weight [1, 2, 3, 3]: channel 0 all 1, channel 1 counts 1..9; input channel 0 = 1..9, channel 1 = −1.
  const weight = Float32Array.from([...new Array(9).fill(1), 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const layer = {
    type: "conv2d",
    ...{ channels: 2, rows: 3, columns: 3, outChannels: 1, outRows: 3, outColumns: 3, kernel: 3, stride: 1, padding: 1 },
    outShape: [1, 3, 3],
    weight,
    bias: Float32Array.of(0),
  };
  const input = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, ...new Array(9).fill(-1)]);
  const field = new ReceptiveField(18);
  // The top-left value: rows 0–1, columns 0–1 of each channel (the padding is no source).
  assert.equal(field.compute([layer], 1, 0, input), 8);
  assert.deepEqual(Array.from(field.sources.subarray(0, 8)), [0, 1, 3, 4, 9, 10, 12, 13]);
  // Channel 0: 1·1, 1·2, 1·4, 1·5; channel 1: the kernel's lower-right 2×2 (5, 6, 8, 9) × −1.
  assert.deepEqual(Array.from(field.contributions.subarray(0, 8)), [1, 2, 4, 5, -5, -6, -8, -9]);
  assert.deepEqual(
    Array.from(field.scaled.subarray(0, 8)),
    [1, 2, 4, 5, -5, -6, -8, -9].map((v) => Math.fround(Math.fround(v) * Math.fround(1 / 9))),
  );
  // The centre sees all 18; without a drawing the contributions are the bare weights.
  assert.equal(field.compute([layer], 1, 4, null), 18);
  assert.deepEqual(Array.from(field.contributions.subarray(0, 18)), Array.from(weight));
  assert.equal(field.compute([layer], 0, 0, input), 0, "the input stage has no receptive field");
});

test("map statistics: min, max, mean and the share of active values of one map", () => {
  const values = Float32Array.from([0, 1, 2, -3, /* map 1 */ 4, 0, 0, 8]);
  assert.deepEqual(mapStatistics(values, [2, 2, 2], 0), { min: -3, max: 2, mean: 0, active: 0.5 });
  assert.deepEqual(mapStatistics(values, [2, 2, 2], 1), { min: 0, max: 8, mean: 3, active: 0.5 });
});
