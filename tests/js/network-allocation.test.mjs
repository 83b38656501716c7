// The forward pass allocates nothing per stroke (model/network.js's promise): on the committed
// CNN and MLP exports, 200 forward passes over real probe digits, and the receptive field of
// every value hovered, construct no typed array (counted through a wrapper of the typed-array
// constructors, checked to see the constructor's own allocations) and hand back the very same
// result object and buffers every time.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { sampleSetFromTensors } from "../../assets/js/data/export-files.js";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { Network } from "../../assets/js/model/network.js";
import { normalise } from "../../assets/js/model/preprocess.js";
import { largestField, ReceptiveField } from "../../assets/js/model/receptive-field.js";

const FOLDER = new URL("../../exports/", import.meta.url);
const TYPED = ["Float32Array", "Float64Array", "Int32Array", "Uint8Array", "Uint8ClampedArray", "Uint16Array"];

async function tensorsOf(file) {
  const bytes = await readFile(new URL(file, FOLDER));
  return parseSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).tensors;
}

async function load(name) {
  const manifest = validateManifest(JSON.parse(await readFile(new URL(name, FOLDER), "utf8")), `http://x/exports/${name}`);
  const network = new Network(manifest.model.layers, await tensorsOf(manifest.timeline.at(-1).file));
  const probe = sampleSetFromTensors(await tensorsOf(manifest.probe.file), manifest.model.input.shape);
  const inputs = Array.from({ length: 200 }, (_, i) => normalise(probe.pixels(i % probe.count), manifest.model.input));
  return { manifest, network, inputs };
}

/** Runs `work` with every typed-array constructor counted; returns how many were constructed. */
function countTypedArrays(work) {
  const originals = TYPED.map((name) => globalThis[name]);
  let count = 0;
  TYPED.forEach((name, i) => {
    globalThis[name] = new Proxy(originals[i], {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      },
    });
  });
  try {
    work();
  } finally {
    TYPED.forEach((name, i) => {
      globalThis[name] = originals[i];
    });
  }
  return count;
}

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
