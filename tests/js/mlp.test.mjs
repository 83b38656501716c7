import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { argmax, layerParameterCounts, MLP, parameterCount } from "../../assets/js/model/mlp.js";
import { LAYER_SIZES, random, randomNetwork, writeSafetensors } from "./helpers.mjs";
import { loadManifest } from "./insights-export.mjs";

function loadNetwork(seed) {
  return parseSafetensors(writeSafetensors(randomNetwork(LAYER_SIZES, seed))).tensors;
}

/** Straightforward float64 reference: y = W x + b, ReLU, softmax. */
function reference(tensors, input) {
  let x = Array.from(input);
  const layers = LAYER_SIZES.length - 1;
  const pre = [];
  for (let l = 0; l < layers; l++) {
    const w = tensors.get(`layers.${l}.weight`);
    const b = tensors.get(`layers.${l}.bias`).data;
    const [out, inSize] = w.shape;
    const z = Array.from({ length: out }, (_, j) => b[j] + x.reduce((sum, v, k) => sum + w.data[j * inSize + k] * v, 0));
    pre.push(z);
    x = l < layers - 1 ? z.map((v) => Math.max(0, v)) : z;
  }
  const max = Math.max(...x);
  const exp = x.map((v) => Math.exp(v - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return { pre, probabilities: exp.map((v) => v / total) };
}

test("forward matches a float64 reference on random networks and inputs", () => {
  for (const seed of [1, 2, 3]) {
    const tensors = loadNetwork(seed);
    const mlp = new MLP(tensors);
    assert.deepEqual(mlp.sizes, LAYER_SIZES);
    const next = random(seed + 100);
    const input = Float32Array.from({ length: 784 }, () => next() * 2);
    const result = mlp.forward(input);
    const expected = reference(tensors, input);
    assert.equal(result.preActivations.length, 3);
    assert.equal(result.activations.length, 4);
    assert.deepEqual(Array.from(result.activations[0]), Array.from(input));
    for (let l = 0; l < 3; l++) {
      expected.pre[l].forEach((v, j) => {
        assert.ok(Math.abs(result.preActivations[l][j] - v) < 1e-4, `layer ${l} neuron ${j}`);
      });
    }
    result.activations[1].forEach((v, j) => {
      assert.equal(v, Math.max(0, result.preActivations[0][j]));
    });
    assert.equal(result.logits, result.preActivations[2]);
    expected.probabilities.forEach((p, j) => {
      assert.ok(Math.abs(result.activations[3][j] - p) < 1e-6);
    });
    assert.ok(Math.abs(result.activations[3].reduce((a, b) => a + b, 0) - 1) < 1e-5);
    assert.equal(argmax(result.activations[3]), argmax(expected.probabilities));
  }
});

test("forward reuses its buffers: same result object, no new arrays per call", () => {
  const mlp = new MLP(loadNetwork(4));
  const first = mlp.forward(new Float32Array(784).fill(0.5));
  const buffers = [...first.activations, ...first.preActivations];
  const before = Array.from(first.activations[3]);
  const second = mlp.forward(new Float32Array(784).fill(-0.5));
  assert.equal(second, first);
  [...second.activations, ...second.preActivations].forEach((buffer, i) => {
    assert.equal(buffer, buffers[i]);
  });
  assert.notDeepEqual(Array.from(second.activations[3]), before);
});

test("the weights stay reachable for saliency and the latent projection", () => {
  const tensors = loadNetwork(5);
  const mlp = new MLP(tensors);
  assert.equal(mlp.layers.length, 3);
  assert.equal(mlp.layers[0].weight, tensors.get("layers.0.weight").data);
  assert.deepEqual(
    mlp.layers.map(({ inSize, outSize }) => [inSize, outSize]),
    [
      [784, 16],
      [16, 12],
      [12, 10],
    ],
  );
});

test("inconsistent tensors are refused", () => {
  const tensors = loadNetwork(6);
  tensors.delete("layers.1.bias");
  assert.throws(() => new MLP(tensors), /layers.1.bias is missing/);
  assert.throws(() => new MLP(new Map()), /no layers.0.weight/);
});

test("argmax picks the first largest value", () => {
  assert.equal(argmax(Float32Array.of(0.1, 0.7, 0.7, 0.2)), 1);
});

test("the parameter count is Σ (in × out + out), as the committed export's manifest says", async () => {
  const { model } = await loadManifest();
  assert.equal(parameterCount(model.layer_sizes), model.parameter_count);
  assert.equal(parameterCount(model.layer_sizes), 109386);
  assert.deepEqual(layerParameterCounts([784, 128, 64, 10]), [100480, 8256, 650]);
  const mlp = new MLP(loadNetwork(7));
  const stored = mlp.layers.reduce((sum, { weight, bias }) => sum + weight.length + bias.length, 0);
  assert.equal(parameterCount(mlp.sizes), stored, "every weight and bias the network holds");
});
