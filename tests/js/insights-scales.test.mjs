import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCount, LogScale, SymlogScale } from "../../assets/js/panels/insights/scales.js";

test("images-seen axis: 0 at the left edge, the end at the right, early snapshots spread out", () => {
  const scale = new SymlogScale(50, 3_000_000);
  assert.equal(scale.map(0), 0);
  assert.ok(Math.abs(scale.map(3_000_000) - 1) < 1e-12);
  const seen = [0, 50, 120, 250, 500, 1000, 60000, 3_000_000];
  seen.slice(1).forEach((n, i) => {
    assert.ok(scale.map(n) > scale.map(seen[i]), `${n} is right of ${seen[i]}`);
  });
  assert.ok(scale.map(50) > 0.05, "the first snapshot is not squashed against the untrained one");
  assert.deepEqual(scale.ticks(), [0, 100, 1000, 10000, 100000, 1000000]);
});

test("loss axis: log scale with readable ticks", () => {
  const wide = new LogScale(0.02, 2.4);
  assert.ok(wide.map(0.02) > 0 && wide.map(2.4) < 1);
  assert.deepEqual(wide.ticks(), [0.1, 1]);
  const narrow = new LogScale(0.3, 2.3);
  assert.deepEqual(narrow.ticks(), [0.5, 1, 2]);
});

test("counts read like people say them", () => {
  assert.deepEqual([0, 50, 1000, 1234, 60000, 120000, 3_000_000].map(formatCount), ["0", "50", "1k", "1.2k", "60k", "120k", "3M"]);
});

test("counts and axis numbers in German use the decimal comma", async () => {
  const { setLanguage } = await import("../../assets/js/i18n/i18n.js");
  setLanguage("de");
  try {
    assert.deepEqual([1234, 0.01, 0.5, 3_000_000].map(formatCount), ["1,2k", "0,01", "0,5", "3M"]);
  } finally {
    setLanguage("en");
  }
});
