// The version-2 broken-export corpus (broken-exports-cnn.mjs) through the page's own
// validators: the committed CNN export passes, every case is refused where it should be with
// a message naming the field or tensor.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readSnapshot } from "../../assets/js/data/export-files.js";
import { loadManifest } from "../../assets/js/data/export-loader.js";
import { LIMITS, snapshotShapes, validateManifest } from "../../assets/js/data/manifest.js";
import { checkLayerList } from "../../assets/js/data/model-layers.js";
import { brokenCnnExports, loadCnnExport } from "./broken-exports-cnn.mjs";
import { wordedKeys } from "./worded-errors.mjs";

const MANIFEST_URL = "http://127.0.0.1:8000/exports/cnn_weights.json";
const base = loadCnnExport();
const cases = brokenCnnExports(base);

function load(manifest) {
  const text = JSON.stringify(manifest);
  return loadManifest(MANIFEST_URL, async () => ({ ok: true, status: 200, text: async () => text }));
}

const bufferOf = (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);

async function check(item) {
  const manifest = await load(item.manifest);
  if (item.stage === "manifest") return manifest;
  const entry = manifest.timeline[0];
  return readSnapshot(bufferOf(item.files.get(entry.file) ?? base.snapshot), entry, manifest);
}

test("the corpus has at least 40 format-2 cases with unique names", () => {
  assert.ok(cases.length >= 40, `${cases.length} cases`);
  assert.equal(new Set(cases.map((item) => item.name)).size, cases.length);
});

test("the committed CNN export passes: its layers, sizes and snapshot tensors", async () => {
  const manifest = await load(base.manifest);
  assert.deepEqual(manifest.model.layer_sizes, [784, 6272, 1568, 3136, 784, 784, 64, 10]);
  assert.equal(manifest.model.parameter_count, 54314);
  assert.deepEqual(snapshotShapes(manifest).get("layers.2.weight"), [16, 8, 5, 5]);
  const snapshot = await readSnapshot(bufferOf(base.snapshot), manifest.timeline[0], manifest);
  assert.equal(snapshot.network.layers.length, 7);
  assert.equal(snapshot.network.denseFrom, 5);
});

test("a version-1 manifest becomes the same kind of layer list: linear layers, ReLU between", () => {
  const mlp = validateManifest(JSON.parse(readFileSync(new URL("../../exports/mlp_weights.json", import.meta.url))), MANIFEST_URL);
  assert.deepEqual(
    mlp.model.layers.map((layer) => [layer.type, layer.in_features, layer.out_features, layer.activation, layer.weight]),
    [
      ["linear", 784, 128, "relu", "layers.0.weight"],
      ["linear", 128, 64, "relu", "layers.1.weight"],
      ["linear", 64, 10, null, "layers.2.weight"],
    ],
  );
  assert.deepEqual(mlp.model.layer_sizes, [784, 128, 64, 10]);
});

test("the multiply-add limit refuses a network too slow to run on every stroke", () => {
  const limits = { ...LIMITS, multiplyAdds: 500_000 };
  assert.throws(
    () => checkLayerList(base.manifest.model, [28, 28], 10, limits),
    /model.layers take 844,224 multiply-adds per drawing, more than the 500,000/,
  );
  assert.doesNotThrow(() => checkLayerList(base.manifest.model, [28, 28], 10, LIMITS));
});

test("the layer-values limit refuses a layer with too many values", () => {
  assert.throws(
    () => checkLayerList(base.manifest.model, [28, 28], 10, { ...LIMITS, layerValues: 5000 }),
    /model.layers\[0\] outputs 6,272 values, more than the 5,000/,
  );
});

for (const item of cases) {
  test(`refused: ${item.name}`, async () => {
    await assert.rejects(check(item), (error) => {
      assert.match(error.message, item.expect);
      wordedKeys(error); // the page words it in its own language
      const file = item.stage === "manifest" ? "exports/cnn_weights.json" : "";
      if (file) assert.ok(error.message.startsWith(`${file}: `), error.message);
      return true;
    });
  });
}
