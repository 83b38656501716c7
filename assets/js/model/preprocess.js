// MNIST-faithful preprocessing of a drawn ink bitmap (values 0..1, row-major) into
// the model's input image of [rows, columns] (manifest.model.input.shape): crop to the
// ink's bounding box, scale it to fit the MNIST box keeping the aspect ratio with area
// averaging (anti-aliasing), then place it so that its centre of mass sits at the
// image's centre — the recipe MNIST's digits went through. Resampling is an exact box
// filter at a fractional offset, so the centre of mass lands at the centre exactly,
// not to the nearest pixel.
//
// Then the stroke width is normalised: a thin brush on a big digit becomes a hair-thin
// line once the digit is fitted into 20×20, thinner than nearly all of MNIST. The width
// is estimated as 2 × ink / perimeter (a stroke of length L and width w has ink L·w and
// a perimeter of about 2L), the perimeter being the sum over the image (and one pixel
// past its right and bottom edges) of the gradient's length, √(Δx² + Δy²), from
// backward differences with zero outside. Over MNIST's 60000 training digits this gives a
// median of 2.36 px, a 25th percentile of 2.01 and a 10th of 1.75. An image thinner than
// 1.75 px is thickened towards 2.0 px: out = in + a·(dilated − in), where the dilation is
// the maximum over each pixel and its four neighbours (zero outside) and
// a = min(1, (2.0 − width) / 1.61) — one full dilation widens MNIST digits by 1.61 px
// (median) — at most twice. Thick strokes are left alone: thinning them cost accuracy on
// the development drawings (benchmarks/drawn_strokes.py). training/toolkit/preprocess.py
// repeats all of this in Python, tested to match (tests/toolkit/test_tool_preprocess_oracle.py).

/**
 * MNIST's own convention, relative to the image: its digits were size-normalised to fit
 * a 20×20 box and centred by their centre of mass in a 28×28 image, so the box spans
 * 20/28 of the image's (shorter) side.
 */
export const MNIST_BOX = 20 / 28;
// Ink below this is anti-aliasing dust, not part of the digit's bounding box.
const INK_THRESHOLD = 0.05;
/** The stroke-width normalisation's constants, in pixels of the model's input (see above). */
export const STROKE_WIDTH = Object.freeze({ thinnest: 1.75, goal: 2.0, dilationGain: 1.61, passes: 2 });
let scratch = new Float32Array(0); // reused between drawings: preprocessing runs on every pointer move

/**
 * For each source index s in [first, last], which target pixels t in [0, size) it covers
 * when mapped to [(s - first) * scale + offset, (s + 1 - first) * scale + offset], and how much.
 */
function axisWeights(first, last, scale, offset, size) {
  const weights = [];
  for (let s = first; s <= last; s++) {
    const a = (s - first) * scale + offset;
    const b = a + scale;
    const pairs = [];
    for (let t = Math.max(0, Math.floor(a)); t < Math.min(size, Math.ceil(b)); t++) {
      const overlap = Math.min(b, t + 1) - Math.max(a, t);
      if (overlap > 0) pairs.push(t, overlap);
    }
    weights.push(pairs);
  }
  return weights;
}

/** The side of the MNIST box (see MNIST_BOX) in an image of `shape` [rows, columns]. */
export function mnistBoxSide([rows, columns]) {
  return MNIST_BOX * Math.min(rows, columns);
}

/** Box-filter the rectangle [x0..x1]×[y0..y1] of `ink` (row width `width`) into an image of `shape` [rows, columns]. */
function resample(ink, width, box, scale, offsetX, offsetY, [rows, columns]) {
  const { x0, x1, y0, y1 } = box;
  const columnWeights = axisWeights(x0, x1, scale, offsetX, columns);
  const rowWeights = axisWeights(y0, y1, scale, offsetY, rows);
  const out = new Float32Array(rows * columns);
  const line = new Float32Array(columns);
  for (let y = y0; y <= y1; y++) {
    line.fill(0);
    const base = y * width;
    for (let x = x0; x <= x1; x++) {
      const value = ink[base + x];
      if (value === 0) continue;
      const pairs = columnWeights[x - x0];
      for (let p = 0; p < pairs.length; p += 2) line[pairs[p]] += pairs[p + 1] * value;
    }
    const pairs = rowWeights[y - y0];
    for (let p = 0; p < pairs.length; p += 2) {
      const row = pairs[p] * columns;
      const weight = pairs[p + 1];
      for (let t = 0; t < columns; t++) out[row + t] += weight * line[t];
    }
  }
  for (let i = 0; i < out.length; i++) if (out[i] > 1) out[i] = 1; // float rounding only
  return out;
}

/** Bounding box of the ink and its centre of mass inside it (continuous coordinates); null when blank. */
export function inkStats(ink, width, height) {
  let x0 = width,
    x1 = -1,
    y0 = height,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x] < INK_THRESHOLD) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  let mass = 0,
    sumX = 0,
    sumY = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const value = ink[y * width + x];
      mass += value;
      sumX += (x + 0.5) * value;
      sumY += (y + 0.5) * value;
    }
  }
  return { x0, x1, y0, y1, centreX: sumX / mass, centreY: sumY / mass };
}

/**
 * MNIST-style image of the ink, or null for a blank pad.
 * @param {[number, number]} shape the model's input [rows, columns] (manifest.model.input.shape)
 * @returns {Float32Array|null} rows × columns values in 0..1, row-major
 */
export function preprocess(ink, width, height, shape) {
  const stats = inkStats(ink, width, height);
  if (!stats) return null;
  const { x0, x1, y0, y1, centreX, centreY } = stats;
  const scale = mnistBoxSide(shape) / Math.max(x1 - x0 + 1, y1 - y0 + 1);
  // Put the (scaled) centre of mass at the image centre, (columns / 2, rows / 2) in continuous coordinates.
  const [rows, columns] = shape;
  const offsetX = columns / 2 - (centreX - x0) * scale;
  const offsetY = rows / 2 - (centreY - y0) * scale;
  return normaliseStrokeWidth(resample(ink, width, stats, scale, offsetX, offsetY, shape), shape);
}

/** 2 × ink / perimeter of a rows × columns image (0 when blank): see the module comment. */
export function strokeWidth(pixels, [rows, columns]) {
  let mass = 0;
  let perimeter = 0;
  for (let y = 0; y <= rows; y++) {
    for (let x = 0; x <= columns; x++) {
      const inside = y < rows && x < columns;
      const value = inside ? pixels[y * columns + x] : 0;
      const left = x > 0 && y < rows ? pixels[y * columns + x - 1] : 0;
      const up = y > 0 && x < columns ? pixels[(y - 1) * columns + x] : 0;
      mass += value;
      perimeter += Math.sqrt((value - left) ** 2 + (value - up) ** 2);
    }
  }
  return perimeter > 0 ? (2 * mass) / perimeter : 0;
}

/** Thicken strokes thinner than MNIST's, in place (see the module comment); returns `pixels`. */
export function normaliseStrokeWidth(pixels, [rows, columns]) {
  const { thinnest, goal, dilationGain, passes } = STROKE_WIDTH;
  if (scratch.length < pixels.length) scratch = new Float32Array(pixels.length);
  for (let pass = 0; pass < passes; pass++) {
    const width = strokeWidth(pixels, [rows, columns]);
    if (width === 0 || width >= thinnest) break;
    const amount = Math.min(1, (goal - width) / dilationGain);
    scratch.set(pixels);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < columns; x++) {
        const i = y * columns + x;
        let most = scratch[i];
        if (x > 0 && scratch[i - 1] > most) most = scratch[i - 1];
        if (x < columns - 1 && scratch[i + 1] > most) most = scratch[i + 1];
        if (y > 0 && scratch[i - columns] > most) most = scratch[i - columns];
        if (y < rows - 1 && scratch[i + columns] > most) most = scratch[i + columns];
        pixels[i] = scratch[i] + amount * (most - scratch[i]);
      }
    }
  }
  return pixels;
}

/** The whole pad area-averaged to `shape` [rows, columns] without cropping or centring (the "raw" view); null when blank. */
export function rawDownsample(ink, width, height, shape) {
  if (!inkStats(ink, width, height)) return null;
  const [rows, columns] = shape;
  const scale = Math.min(columns / width, rows / height);
  return resample(ink, width, { x0: 0, x1: width - 1, y0: 0, y1: height - 1 }, scale, 0, 0, shape);
}

/** Raw MNIST bytes (0..scale) → ink fractions 0..1. */
export function pixelsFromBytes(bytes, scale) {
  const pixels = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) pixels[i] = bytes[i] / scale;
  return pixels;
}

/** Ink fractions 0..1 (raw value / input.scale) → the network's input, normalised as in training. */
export function normalise(pixels, { mean, std }, out = new Float32Array(pixels.length)) {
  for (let i = 0; i < pixels.length; i++) out[i] = (pixels[i] - mean) / std;
  return out;
}
