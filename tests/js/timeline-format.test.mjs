import assert from "node:assert/strict";
import { test } from "node:test";
import { formatAccuracy, formatImagesSeen } from "../../assets/js/panels/timeline-format.js";

test("images seen read as people say them", () => {
  const cases = [
    [0, "0"],
    [1, "1 image"],
    [50, "50 images"],
    [120, "120 images"],
    [2000, "2k images"],
    [1500, "1.5k images"],
    [40000, "40k images"],
    [60000, "1× dataset"],
    [300000, "5× dataset"],
    [90000, "1.5× dataset"],
    [3000000, "50× dataset"],
  ];
  for (const [seen, label] of cases) assert.equal(formatImagesSeen(seen, 60000), label);
});

test("the dataset size comes from the manifest", () => {
  assert.equal(formatImagesSeen(2000, 1000), "2× dataset");
});

test("accuracy is a percentage with one decimal", () => {
  assert.equal(formatAccuracy(0.9783), "97.8 %");
  assert.equal(formatAccuracy(undefined), "–");
});
