import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { classify, loadExport } from "../../benchmarks/drawn-digits.mjs";
import { EXPORT_PATH, FIXTURE_PATH, toVersion1 } from "./version1-export.mjs";

const read = (path) => JSON.parse(readFileSync(path, "utf8"));

test("the version-1 fixture is the conversion of the committed MLP export (re-run version1-export.mjs after re-exporting)", () => {
  assert.deepEqual(read(FIXTURE_PATH), toVersion1(read(EXPORT_PATH)));
});

test("both versions describe the same network to the page and compute the same digits", async () => {
  const v1 = validateManifest(read(FIXTURE_PATH), pathToFileURL(FIXTURE_PATH).href);
  const v2 = validateManifest(read(EXPORT_PATH), pathToFileURL(EXPORT_PATH).href);
  assert.equal(v1.format_version, 1);
  assert.deepEqual(v1.model.layer_sizes, v2.model.layer_sizes);
  assert.deepEqual(v1.model.layers, v2.model.layers);
  const inputs = Array.from({ length: 20 }, (_, k) => Float32Array.from({ length: 784 }, (_, i) => ((i * (k + 3)) % 17) / 16));
  const [a, b] = [await loadExport(FIXTURE_PATH), await loadExport(EXPORT_PATH)];
  assert.deepEqual(classify(a, inputs), classify(b, inputs));
});
