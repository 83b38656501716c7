// The committed default exports read drawn digits: 200 drawings made from held-out MNIST
// test digits (tests/fixtures/drawn_digits.json, made by benchmarks/drawn_digits.py: half
// fast scribbles of 8 pointer events, brushes 8–44 px) painted by the page's brush,
// preprocessed by the page and classified by the page's forward pass. Fails when the export
// or the preprocessing regresses.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { classify, drawnInputs, loadExport } from "../../benchmarks/drawn-digits.mjs";

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const set = JSON.parse(await readFile(path("../fixtures/drawn_digits.json"), "utf8"));
const { inputs } = drawnInputs(set);
const labels = set.strokes.map((drawing) => drawing.label);

function accuracy(predictions) {
  return predictions.filter((digit, i) => digit === labels[i]).length / labels.length;
}

test("the fixture holds 200 drawings of every digit, half of them fast", () => {
  assert.equal(set.strokes.length, 200);
  assert.deepEqual(new Set(labels).size, 10);
  assert.equal(set.strokes.filter((drawing) => drawing.fast).length, 100);
});

for (const name of ["mlp_weights", "cnn_weights"]) {
  test(`the committed ${name} export reads at least 90% of the drawn digits`, async () => {
    const share = accuracy(classify(await loadExport(path(`../../exports/${name}.json`)), inputs));
    assert.ok(share >= 0.9, `${(share * 100).toFixed(1)}% read correctly`);
  });
}

test("the check catches a network that has not learnt: the untrained snapshot reads far fewer", async () => {
  const share = accuracy(classify(await loadExport(path("../../exports/mlp_weights.json"), 0), inputs));
  assert.ok(share < 0.5, `${(share * 100).toFixed(1)}%`);
});
