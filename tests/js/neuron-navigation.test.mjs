// Keyboard focus through the committed MLP and CNN exports' layers, as the 3D view lays them out.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { focusedNeuron, moveFocus, navigationLayers } from "../../assets/js/model/neuron-navigation.js";

const load = async (path) => validateManifest(JSON.parse(await readFile(new URL(`../../${path}`, import.meta.url))), "http://x/");

/** Presses `keys` from `focus` and returns where the focus ends up. */
function press(layers, focus, ...keys) {
  return keys.reduce((at, key) => moveFocus(layers, at, key) ?? at, focus);
}

test("MLP: pixels in the 28×28 picture, hidden grids, the output column; Page Up/Down keep the relative place", async () => {
  const layers = navigationLayers((await load("exports/mlp_weights.json")).model);
  assert.deepEqual(
    layers.map(({ kind, count, columns }) => [kind, count, columns]),
    [
      ["pixels", 784, 28],
      ["neurons", 128, 8],
      ["neurons", 64, 6],
      ["neurons", 10, 1],
    ],
  );
  assert.deepEqual(press(layers, { stage: 0, index: 0 }, "ArrowDown", "ArrowRight"), { stage: 0, index: 29 });
  assert.deepEqual(press(layers, { stage: 0, index: 0 }, "ArrowLeft", "ArrowUp"), { stage: 0, index: 0 }, "stops at the edges");
  assert.deepEqual(press(layers, { stage: 1, index: 0 }, "End"), { stage: 1, index: 127 });
  assert.deepEqual(press(layers, { stage: 1, index: 127 }, "PageDown"), { stage: 2, index: 63 });
  assert.deepEqual(press(layers, { stage: 2, index: 63 }, "PageDown", "PageDown", "PageDown"), { stage: 3, index: 9 });
  assert.deepEqual(press(layers, { stage: 3, index: 9 }, "PageUp", "PageUp", "PageUp", "PageUp"), { stage: 0, index: 783 });
  assert.equal(moveFocus(layers, { stage: 1, index: 3 }, "Enter"), null, "not a move");
  assert.deepEqual(focusedNeuron(layers, { stage: 2, index: 5 }, null), { layer: 2, index: 5 });
});

test("CNN: the conv and pool stages are lists of maps; a focused map stands for its strongest value", async () => {
  const model = (await load("exports/cnn_weights.json")).model;
  const layers = navigationLayers(model);
  assert.deepEqual(
    layers.map(({ kind, count }) => [kind, count]),
    [
      ["pixels", 784],
      ["maps", 8],
      ["maps", 8],
      ["maps", 16],
      ["maps", 16],
      ["neurons", 784],
      ["neurons", 64],
      ["neurons", 10],
    ],
  );
  assert.equal(layers[1].mapSize, 28 * 28);
  assert.deepEqual(press(layers, { stage: 1, index: 0 }, "ArrowDown", "ArrowRight", "ArrowRight"), { stage: 1, index: 3 });
  assert.deepEqual(press(layers, { stage: 1, index: 7 }, "PageDown", "PageDown"), { stage: 3, index: 15 });
  const activations = new Float32Array(8 * 14 * 14);
  activations[3 * 196 + 17] = 2.5;
  assert.deepEqual(focusedNeuron(layers, { stage: 2, index: 3 }, activations), { layer: 2, index: 3 * 196 + 17 });
  assert.deepEqual(focusedNeuron(layers, { stage: 2, index: 3 }, null), { layer: 2, index: 3 * 196 + 98 }, "blank: the centre");
});
