import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inkStats,
  MNIST_BOX,
  mnistBoxSide,
  normalise,
  normaliseStrokeWidth,
  pixelsFromBytes,
  preprocess,
  rawDownsample,
  STROKE_WIDTH,
  strokeWidth,
} from "../../assets/js/model/preprocess.js";

const PAD = 280;
const SIZE = 28; // MNIST's input, [rows, columns] = SHAPE
const SHAPE = [SIZE, SIZE];

/** Render a shape given in unit coordinates into a PAD×PAD bitmap at (left, top) with side `size`, 4×4 supersampled. */
function render(shape, left, top, size) {
  const ink = new Float32Array(PAD * PAD);
  for (let y = 0; y < PAD; y++) {
    for (let x = 0; x < PAD; x++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = (x + (sx + 0.5) / 4 - left) / size;
          const v = (y + (sy + 0.5) / 4 - top) / size;
          if (u >= 0 && u <= 1 && v >= 0 && v <= 1 && shape(u, v)) hits++;
        }
      }
      ink[y * PAD + x] = hits / 16;
    }
  }
  return ink;
}

// A lopsided "7": a top bar and a diagonal stroke, inside a 0.6-wide, 1-tall box.
const seven = (u, v) => (v < 0.12 && u < 0.6) || (Math.abs(u - (0.6 - 0.45 * v)) < 0.07 && u < 0.6);
const bar = (u) => u > 0.45 && u < 0.55; // a thin vertical "1"

function centreOfMass(image) {
  let mass = 0,
    x = 0,
    y = 0;
  for (let i = 0; i < image.length; i++) {
    mass += image[i];
    x += (i % SIZE) * image[i];
    y += Math.floor(i / SIZE) * image[i];
  }
  return [x / mass, y / mass];
}

function bounds(image) {
  const rows = [],
    cols = [];
  image.forEach((v, i) => {
    if (v > 0.05) {
      rows.push(Math.floor(i / SIZE));
      cols.push(i % SIZE);
    }
  });
  return { height: Math.max(...rows) - Math.min(...rows) + 1, width: Math.max(...cols) - Math.min(...cols) + 1 };
}

test("a blank pad is the empty state", () => {
  assert.equal(preprocess(new Float32Array(PAD * PAD), PAD, PAD, SHAPE), null);
  assert.equal(rawDownsample(new Float32Array(PAD * PAD), PAD, PAD, SHAPE), null);
  assert.equal(inkStats(new Float32Array(16).fill(0.01), 4, 4), null, "faint dust is not ink");
});

test("the same digit drawn shifted and scaled preprocesses to the same image", () => {
  const small = preprocess(render(seven, 20, 30, 120), PAD, PAD, SHAPE);
  const large = preprocess(render(seven, 60, 10, 250), PAD, PAD, SHAPE);
  let worst = 0,
    total = 0;
  for (let i = 0; i < small.length; i++) {
    worst = Math.max(worst, Math.abs(small[i] - large[i]));
    total += Math.abs(small[i] - large[i]);
  }
  assert.ok(total / small.length < 0.01, `mean difference ${total / small.length}`);
  assert.ok(worst < 0.2, `largest difference ${worst}`);
});

test("the centre of mass lands at (14, 14) ± 0.5 and the digit fits 20×20 keeping its aspect ratio", () => {
  const image = preprocess(render(seven, 150, 100, 160), PAD, PAD, SHAPE);
  assert.equal(image.length, 784);
  const [x, y] = centreOfMass(image);
  // Pixel i covers [i, i + 1): the index-based centre 13.5 is the continuous centre 14.
  assert.ok(Math.abs(x + 0.5 - 14) < 0.5 && Math.abs(y + 0.5 - 14) < 0.5, `centre of mass (${x}, ${y})`);
  const { width, height } = bounds(image);
  assert.ok(height >= 20 && height <= 21, `height ${height}`);
  assert.ok(width >= 12 && width <= 14, `width ${width} keeps the 0.6 aspect ratio`);
  assert.ok(Math.max(...image) <= 1 && Math.min(...image) >= 0);
});

test("a thin vertical stroke stays thin (no stretching to 20×20)", () => {
  const image = preprocess(render(bar, 100, 40, 200), PAD, PAD, SHAPE);
  const { width, height } = bounds(image);
  assert.ok(height >= 20 && height <= 21, `height ${height}`);
  assert.ok(width <= 4, `width ${width}`);
});

test("anti-aliasing: ink is area-averaged, so edges take intermediate values and mass is kept", () => {
  const ink = render(seven, 20, 20, 200);
  const image = preprocess(ink, PAD, PAD, SHAPE);
  const partial = image.filter((v) => v > 0.05 && v < 0.95).length;
  assert.ok(partial > 10, `${partial} partially covered pixels`);
  const stats = inkStats(ink, PAD, PAD);
  const scale = 20 / Math.max(stats.x1 - stats.x0 + 1, stats.y1 - stats.y0 + 1);
  const inkMass = ink.reduce((a, b) => a + b, 0) * scale * scale;
  const imageMass = image.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(imageMass - inkMass) / inkMass < 0.01, `mass ${imageMass} vs ${inkMass}`);
});

test("rawDownsample keeps the pad's framing", () => {
  const ink = new Float32Array(PAD * PAD);
  for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) ink[y * PAD + x] = 1; // top-left 20×20 px = 2×2 cells
  const raw = rawDownsample(ink, PAD, PAD, SHAPE);
  assert.deepEqual([raw[0], raw[1], raw[SIZE], raw[SIZE + 1]], [1, 1, 1, 1]);
  assert.equal(
    raw.reduce((a, b) => a + b, 0),
    4,
  );
});

test("the MNIST box is 20×20 in MNIST's 28×28, and follows the shorter side of other shapes", () => {
  assert.equal(mnistBoxSide(SHAPE), 20);
  assert.equal(mnistBoxSide([56, 42]), 42 * MNIST_BOX);
});

test("other input shapes: the image has the shape asked for, the centre of mass at its centre", () => {
  const image = preprocess(render(seven, 150, 100, 160), PAD, PAD, [14, 20]);
  assert.equal(image.length, 14 * 20);
  let mass = 0,
    x = 0,
    y = 0;
  image.forEach((v, i) => {
    mass += v;
    x += ((i % 20) + 0.5) * v;
    y += (Math.floor(i / 20) + 0.5) * v;
  });
  assert.ok(Math.abs(x / mass - 10) < 0.5 && Math.abs(y / mass - 7) < 0.5, `centre of mass (${x / mass}, ${y / mass})`);
  assert.equal(rawDownsample(render(seven, 150, 100, 160), PAD, PAD, [14, 20]).length, 14 * 20);
});

test("bytes → 0..1 → normalised like torchvision's Normalize", () => {
  const pixels = pixelsFromBytes(Uint8Array.of(0, 255, 51), 255);
  assert.deepEqual(Array.from(pixels), [0, 1, Math.fround(0.2)]);
  const input = normalise(pixels, { scale: 255, mean: 0.1307, std: 0.3081 });
  [0, 1, 0.2].forEach((p, i) => {
    assert.ok(Math.abs(input[i] - (p - 0.1307) / 0.3081) < 1e-6);
  });
  const out = new Float32Array(3);
  assert.equal(normalise(pixels, { mean: 0, std: 1 }, out), out);
});

test("a hair-thin stroke is thickened towards MNIST's width; a normal one is left alone", () => {
  const thin = new Float32Array(SIZE * SIZE);
  for (let y = 4; y < 24; y++) thin[y * SIZE + 14] = 1; // a 1-px bar: width about 1
  const before = strokeWidth(thin, SHAPE);
  assert.ok(before < STROKE_WIDTH.thinnest, `before ${before}`);
  const after = strokeWidth(normaliseStrokeWidth(Float32Array.from(thin), SHAPE), SHAPE);
  assert.ok(after > before + 0.5 && after < STROKE_WIDTH.goal + 0.5, `after ${after}`);
  const normal = new Float32Array(SIZE * SIZE);
  for (let y = 4; y < 24; y++) normal.fill(1, y * SIZE + 13, y * SIZE + 16); // 3 px wide
  assert.deepEqual(normaliseStrokeWidth(Float32Array.from(normal), SHAPE), normal);
});
