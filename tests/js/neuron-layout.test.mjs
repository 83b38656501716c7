import assert from "node:assert/strict";
import { test } from "node:test";
import { gridShape, layout } from "../../assets/js/model/neuron-layout.js";

const SIZES = [784, 128, 64, 10];
const INPUT_SHAPE = [28, 28];

test("every neuron has a position, layers in order from left to right", () => {
  const { layers, positions, total } = layout(SIZES, INPUT_SHAPE);
  assert.equal(total, 986);
  assert.equal(positions.length, 986 * 3);
  assert.ok(positions.every(Number.isFinite));
  assert.deepEqual(
    layers.map((layer) => layer.offset),
    [0, 784, 912, 976],
  );
  assert.deepEqual(
    layers.map((layer) => layer.kind),
    ["input", "hidden", "hidden", "output"],
  );
  for (let l = 1; l < layers.length; l++) assert.ok(layers[l].x > layers[l - 1].x);
});

test("the input keeps its 28×28 picture: row 0 on top, column 0 on the left, no two pixels together", () => {
  const { positions } = layout(SIZES, INPUT_SHAPE);
  const at = (i) => [positions[i * 3], positions[i * 3 + 1], positions[i * 3 + 2]];
  assert.ok(at(0)[1] > at(27 * 28)[1], "row 0 above row 27");
  assert.ok(at(0)[0] < at(27)[0], "column 0 left of column 27");
  assert.equal(at(0)[1], at(27)[1], "a row is level");
  const seen = new Set(
    Array.from({ length: 784 }, (_, i) =>
      at(i)
        .map((v) => v.toFixed(3))
        .join(),
    ),
  );
  assert.equal(seen.size, 784);
});

test("the input card takes its columns and rows from the input shape", () => {
  const { layers } = layout([12 * 20, 16, 10], [12, 20]);
  assert.deepEqual([layers[0].columns, layers[0].rows], [20, 12]);
});

test("hidden layers are compact grids, outputs a column", () => {
  assert.deepEqual(gridShape(128), { columns: 8, rows: 16 });
  assert.deepEqual(gridShape(64), { columns: 6, rows: 11 });
  const { layers } = layout(SIZES, INPUT_SHAPE);
  assert.deepEqual([layers[3].columns, layers[3].rows], [1, 10]);
  assert.ok(layers[1].columns * layers[1].rows >= 128);
});
