// The forward pass allocates nothing per stroke (model/network.js's promise): on the committed
// CNN and MLP exports, 200 forward passes over real probe digits, and the receptive field of
// every value hovered, construct no typed array (counted through a wrapper of the typed-array
// constructors, checked to see the constructor's own allocations) and hand back the very same
// result object and buffers every time.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Network } from "../../assets/js/model/network.js";
import { largestField, ReceptiveField } from "../../assets/js/model/receptive-field.js";
import { countTypedArrays, load, tensorsOf } from "./committed-exports.mjs";

for (const name of ["cnn_weights.json", "mlp_weights.json"]) {
  test(`${name}: 200 forward passes allocate no typed array and reuse one result`, async () => {
    const { manifest, network, inputs } = await load(name);
    // The counter sees the allocations a network does make: its constructor's buffers.
    const tensors = await tensorsOf(manifest.timeline.at(-1).file);
    assert.ok(countTypedArrays(() => new Network(manifest.model.layers, tensors)) >= network.layers.length);

    const first = network.forward(inputs[0]);
    const buffers = [...first.activations, ...first.preActivations];
    let last = first;
    const allocated = countTypedArrays(() => {
      for (const input of inputs) last = network.forward(input);
    });
    assert.equal(allocated, 0, "typed arrays constructed by forward()");
    assert.equal(last, first, "the same result object");
    [...last.activations, ...last.preActivations].forEach((buffer, i) => {
      assert.equal(buffer, buffers[i], `buffer ${i} is the same object`);
    });
    assert.equal(last.logits, first.preActivations.at(-1));
  });
}

test("the receptive field of every feature-map value is computed in its preallocated buffers", async () => {
  const { manifest, network, inputs } = await load("cnn_weights.json");
  const field = new ReceptiveField(largestField(manifest.model.layers));
  const { sources, contributions, scaled } = field;
  const result = network.forward(inputs[0]);
  let total = 0;
  const allocated = countTypedArrays(() => {
    for (let stage = 1; stage < network.denseFrom; stage++) {
      for (let index = 0; index < network.sizes[stage]; index += 7)
        total += field.compute(network.layers, stage, index, result.activations[stage - 1]);
    }
  });
  assert.equal(allocated, 0);
  assert.ok(total > 0);
  assert.ok(field.sources === sources && field.contributions === contributions && field.scaled === scaled);
});
