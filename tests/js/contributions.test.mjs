import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { ConnectionSelector, kthLargest, segmentBases } from "../../assets/js/model/contributions.js";
import { MLP } from "../../assets/js/model/mlp.js";
import { LAYER_SIZES, random, randomNetwork, writeSafetensors } from "./helpers.mjs";

const mlp = new MLP(parseSafetensors(writeSafetensors(randomNetwork(LAYER_SIZES, 9))).tensors);
const next = random(3);
const input = Float32Array.from({ length: 784 }, () => next());
const { activations } = mlp.forward(input);

test("segment ids follow the weight layout of every layer", () => {
  assert.deepEqual(segmentBases([784, 128, 64, 10]), { bases: [0, 100352, 108544], total: 109184 });
});

test("kthLargest agrees with sorting", () => {
  for (let trial = 0; trial < 50; trial++) {
    const values = Float32Array.from({ length: 1 + trial * 7 }, () => Math.round(next() * 10));
    const sorted = Array.from(values).sort((a, b) => b - a);
    const k = trial % values.length;
    assert.equal(kthLargest(values.slice(), values.length, k), sorted[k]);
  }
});

test("all connections: every segment in id order (stable slots), scaled per layer into [-1, 1]", () => {
  const selector = new ConnectionSelector(LAYER_SIZES);
  const count = selector.select(mlp, activations);
  assert.equal(count, selector.total);
  assert.deepEqual(
    Array.from(selector.ids.subarray(0, count)),
    Array.from({ length: count }, (_, i) => i),
  );
  assert.deepEqual(Array.from(selector.layerEnd), [selector.bases[1], selector.bases[2], selector.total]);
  const deadSources = [1, 2].reduce((sum, l) => sum + mlp.layers[l].outSize * activations[l].filter((a) => a === 0).length, 0);
  assert.ok(deadSources > 0, "ReLU silenced some neurons");
  assert.equal(selector.values.subarray(0, count).filter((v) => v === 0).length, deadSources, "their connections stay, at 0");
  const values = selector.values.subarray(0, count);
  assert.ok(values.every((v) => Math.abs(v) <= 1));
  assert.ok(
    values.some((v) => v === 1 || v === -1),
    "the layer's strongest reaches ±1",
  );
  // Spot check one segment: weight layer 1, target 3, source 5.
  const id = selector.bases[1] + 3 * 16 + 5;
  const position = Array.from(selector.ids.subarray(0, count)).indexOf(id);
  if (activations[1][5] !== 0) {
    const expected = (mlp.layers[1].weight[3 * 16 + 5] * activations[1][5]) / selector.layerMax[1];
    assert.ok(Math.abs(selector.values[position] - expected) < 1e-6);
  }
});

test("top-k keeps exactly the k strongest contributions per neuron", () => {
  const selector = new ConnectionSelector(LAYER_SIZES);
  const count = selector.select(mlp, activations, { topK: 3 });
  const perTarget = new Map();
  for (let i = 0; i < count; i++) {
    const id = selector.ids[i];
    const l = id >= selector.bases[2] ? 2 : id >= selector.bases[1] ? 1 : 0;
    const j = Math.floor((id - selector.bases[l]) / mlp.layers[l].inSize);
    const key = `${l}:${j}`;
    perTarget.set(key, [...(perTarget.get(key) ?? []), Math.abs(selector.values[i])]);
  }
  for (const [key, kept] of perTarget) {
    const [l, j] = key.split(":").map(Number);
    const { weight, inSize } = mlp.layers[l];
    const all = Array.from({ length: inSize }, (_, k) => Math.abs(weight[j * inSize + k] * activations[l][k]) / selector.layerMax[l]).sort(
      (a, b) => b - a,
    );
    assert.ok(kept.length <= 3);
    assert.deepEqual(
      kept.sort((a, b) => b - a).map((v) => v.toFixed(5)),
      all.slice(0, kept.length).map((v) => v.toFixed(5)),
      key,
    );
  }
  assert.ok(count <= 3 * (16 + 12 + 10));
});

test("the threshold hides weak contributions", () => {
  const selector = new ConnectionSelector(LAYER_SIZES);
  const count = selector.select(mlp, activations, { threshold: 0.5 });
  let expected = 0;
  mlp.layers.forEach(({ weight, inSize }, l) => {
    weight.forEach((w, i) => {
      if (Math.abs(w * activations[l][i % inSize]) >= 0.5 * selector.layerMax[l]) expected++;
    });
  });
  assert.equal(count, expected);
  assert.ok(count > 0 && count < selector.total / 2);
  assert.ok(selector.values.subarray(0, count).every((v) => Math.abs(v) >= 0.5));
});

test("focus shows one neuron's fan-in and fan-out only", () => {
  const selector = new ConnectionSelector(LAYER_SIZES);
  const count = selector.select(mlp, activations, { focus: { layer: 1, index: 4 } });
  const ids = Array.from(selector.ids.subarray(0, count));
  const fanIn = ids.filter((id) => id < selector.bases[1]);
  const fanOut = ids.filter((id) => id >= selector.bases[1]);
  assert.ok(fanIn.every((id) => Math.floor(id / 784) === 4));
  assert.equal(fanIn.length, 784 - input.filter((x) => x === 0).length);
  assert.ok(fanOut.every((id) => (id - selector.bases[1]) % 16 === 4 && id < selector.bases[2]));
  assert.equal(fanOut.length, 12);
});

test("without a drawing the lines show the weights", () => {
  const selector = new ConnectionSelector(LAYER_SIZES);
  const count = selector.select(mlp, null, { topK: 1 });
  assert.equal(count, 16 + 12 + 10);
  const firstRow = Array.from(mlp.layers[0].weight.subarray(0, 784), Math.abs);
  assert.equal(selector.ids[0], firstRow.indexOf(Math.max(...firstRow)));
});
