// The GPU path's share of the work on the CPU (model/contribution-cuts.js) chooses exactly the
// connections the CPU reference (ConnectionSelector) chooses, on the committed MLP and the CNN's
// dense part, for real probe digits and the blank pad, with top-k, threshold, both and neither:
// the shader's rule (|weight × activation| at or above its target's cut, from a source no later
// than the last one kept) is replayed here in float32. And a
// stroke's upload (GpuConnectionLines.update) allocates no typed array and leaves the weight
// buffer alone; a snapshot switch rewrites it once.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ContributionCuts } from "../../assets/js/model/contribution-cuts.js";
import { ConnectionSelector } from "../../assets/js/model/contributions.js";
import { denseStart } from "../../assets/js/model/layers.js";
import { layout } from "../../assets/js/model/neuron-layout.js";
import { GpuConnectionLines } from "../../assets/js/scene/gpu-connection-lines.js";
import { countTypedArrays, load } from "./committed-exports.mjs";

const SETTINGS = [
  { topK: 4, threshold: 0.03 },
  { topK: 16, threshold: 0 },
  { topK: Infinity, threshold: 0.1 },
  { topK: Infinity, threshold: 0 },
];

async function denseOf(name) {
  const { manifest, network, inputs } = await load(name);
  const offset = denseStart(manifest.model.layers);
  const layers = network.layers.slice(offset);
  const denseActivations = (input) => network.forward(input).activations.slice(offset);
  return { layers, sizes: network.sizes.slice(offset), inputs, denseActivations };
}

/** The segment ids the shader shows, in id order (the selector's numbering). */
function shownByCuts(cuts, layers, activations) {
  const shown = [];
  let id = 0;
  layers.forEach(({ weight, inSize, outSize }, l) => {
    const source = activations?.[l];
    for (let j = 0; j < outSize; j++) {
      const cut = cuts.cuts[cuts.offsets[l + 1] + j];
      const lastTie = cuts.lastTies[cuts.offsets[l + 1] + j];
      for (let k = 0; k < inSize; k++, id++) {
        const size = Math.abs(Math.fround(source ? weight[j * inSize + k] * source[k] : weight[j * inSize + k]));
        if (cuts.layerMax[l] > 0 && size >= cut && cuts.offsets[l] + k <= lastTie) shown.push(id);
      }
    }
  });
  return shown;
}

for (const name of ["mlp_weights.json", "cnn_weights.json"]) {
  test(`${name}: the cuts show the very connections the CPU reference selects`, async () => {
    const { layers, sizes, inputs, denseActivations } = await denseOf(name);
    const selector = new ConnectionSelector(sizes);
    const cuts = new ContributionCuts(sizes);
    for (const settings of SETTINGS) {
      for (const activations of [null, ...inputs.slice(0, 6).map((input) => denseActivations(input).map((a) => a.slice()))]) {
        const count = selector.select({ layers }, activations, settings);
        cuts.compute(layers, activations, settings);
        assert.deepEqual(Array.from(cuts.layerMax), Array.from(selector.layerMax, Math.fround));
        const expected = Array.from(selector.ids.subarray(0, count)).sort((a, b) => a - b);
        assert.deepEqual(shownByCuts(cuts, layers, activations), expected, JSON.stringify(settings));
      }
    }
  });

  test(`${name}: 200 strokes upload without allocating; the weights are written once per snapshot`, async () => {
    const { layers, sizes, inputs, denseActivations } = await denseOf(name);
    const lines = new GpuConnectionLines(layout(sizes, [28, 28]));
    const options = { topK: 4, threshold: 0.03, focus: null };
    lines.update({ layers }, denseActivations(inputs[0]), options);
    const weightVersion = lines.weightAttribute.version;
    const textureVersion = lines.texture.version;
    const allocated = countTypedArrays(() => {
      for (const input of inputs) lines.update({ layers }, denseActivations(input), options);
    });
    assert.equal(allocated, 0, "typed arrays constructed per stroke");
    assert.equal(lines.weightAttribute.version, weightVersion, "the weights were not uploaded again");
    assert.equal(lines.texture.version, textureVersion + inputs.length, "one texture upload per stroke");
    const switched = layers.map((layer) => ({ ...layer, weight: layer.weight.map((w) => -w) })); // another snapshot
    lines.update({ layers: switched }, denseActivations(inputs[0]), options);
    lines.update({ layers: switched }, denseActivations(inputs[1]), options);
    assert.equal(lines.weightAttribute.version, weightVersion + 1, "a snapshot switch uploads its weights once");
    assert.equal(lines.weights[1], switched[0].weight[0]);
  });
}
