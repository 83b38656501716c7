import assert from "node:assert/strict";
import { test } from "node:test";
import { paintSegment, paintStroke } from "../../assets/js/model/brush.js";

const W = 100,
  H = 60;

test("a fast stroke leaves a continuous line with no gaps", () => {
  const ink = new Float32Array(W * H);
  paintSegment(ink, W, H, 5, 30, 95, 30, 4); // one pointer move across the whole pad
  for (let x = 5; x < 95; x++) assert.equal(ink[30 * W + x], 1, `x = ${x}`);
});

test("the brush is round and soft: full in the core, fading to nothing past the radius", () => {
  const ink = new Float32Array(W * H);
  paintSegment(ink, W, H, 50, 30, 50, 30, 10);
  assert.equal(ink[30 * W + 50], 1);
  const edge = ink[30 * W + 58]; // 8.5 px from the centre
  assert.ok(edge > 0 && edge < 1, `edge ${edge}`);
  assert.equal(ink[30 * W + 61], 0);
  assert.equal(ink[(30 + 7) * W + 50], ink[30 * W + 57], "same fall-off in every direction");
});

test("drawing keeps the strongest ink; erasing removes it", () => {
  const ink = new Float32Array(W * H);
  paintSegment(ink, W, H, 20, 20, 80, 20, 6);
  paintSegment(ink, W, H, 20, 20, 80, 20, 2); // a thinner pass does not lighten the stroke
  assert.equal(ink[20 * W + 50], 1);
  assert.ok(ink[(20 + 4) * W + 50] > 0);
  paintSegment(ink, W, H, 50, 10, 50, 30, 6, true);
  assert.equal(ink[20 * W + 50], 0);
  assert.equal(ink[20 * W + 30], 1, "erasing is local");
});

test("strokes are clipped to the pad and report what they touched", () => {
  const ink = new Float32Array(W * H);
  assert.deepEqual(paintSegment(ink, W, H, -20, -20, 2, 2, 3), { left: 0, top: 0, right: 5, bottom: 5 });
  assert.equal(paintSegment(ink, W, H, -50, -50, -40, -40, 3), null);
});

test("a stroke of few pointer events is painted as the straight polyline through them", () => {
  const ink = new Float32Array(W * H);
  paintStroke(
    ink,
    W,
    H,
    [
      [10, 10],
      [90, 10],
      [90, 50],
    ],
    3,
  );
  for (let x = 10; x <= 90; x += 5) assert.equal(ink[10 * W + x], 1, `top edge at x = ${x}`);
  for (let y = 10; y <= 50; y += 5) assert.equal(ink[y * W + 90], 1, `right edge at y = ${y}`);
  assert.equal(ink[30 * W + 50], 0, "the corner is not cut");
  const single = new Float32Array(W * H);
  paintStroke(single, W, H, [[40, 30]], 3); // a tap is a dot
  assert.equal(single[30 * W + 40], 1);
});
