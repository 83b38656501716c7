// MNIST-faithful preprocessing of a drawn ink bitmap (values 0..1, row-major):
// crop to the ink's bounding box, scale it to fit 20×20 keeping the aspect
// ratio with area averaging (anti-aliasing), then place it in 28×28 so that its
// centre of mass sits at the centre — the recipe MNIST's digits went through.
// Resampling is an exact box filter at a fractional offset, so the centre of
// mass lands at the centre exactly, not to the nearest pixel.

export const SIZE = 28;
const BOX = 20;
// Ink below this is anti-aliasing dust, not part of the digit's bounding box.
const INK_THRESHOLD = 0.05;

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

/** Box-filter the rectangle [x0..x1]×[y0..y1] of `ink` (row width `width`) into a 28×28 image. */
function resample(ink, width, box, scale, offsetX, offsetY) {
  const { x0, x1, y0, y1 } = box;
  const columns = axisWeights(x0, x1, scale, offsetX, SIZE);
  const rows = axisWeights(y0, y1, scale, offsetY, SIZE);
  const out = new Float32Array(SIZE * SIZE);
  const line = new Float32Array(SIZE);
  for (let y = y0; y <= y1; y++) {
    line.fill(0);
    const base = y * width;
    for (let x = x0; x <= x1; x++) {
      const value = ink[base + x];
      if (value === 0) continue;
      const pairs = columns[x - x0];
      for (let p = 0; p < pairs.length; p += 2) line[pairs[p]] += pairs[p + 1] * value;
    }
    const pairs = rows[y - y0];
    for (let p = 0; p < pairs.length; p += 2) {
      const row = pairs[p] * SIZE;
      const weight = pairs[p + 1];
      for (let t = 0; t < SIZE; t++) out[row + t] += weight * line[t];
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

/** MNIST-style 28×28 image (Float32Array(784), 0..1) of the ink, or null for a blank pad. */
export function preprocess(ink, width, height) {
  const stats = inkStats(ink, width, height);
  if (!stats) return null;
  const { x0, x1, y0, y1, centreX, centreY } = stats;
  const scale = BOX / Math.max(x1 - x0 + 1, y1 - y0 + 1);
  // Put the (scaled) centre of mass at the image centre, (14, 14) in continuous coordinates.
  const offsetX = SIZE / 2 - (centreX - x0) * scale;
  const offsetY = SIZE / 2 - (centreY - y0) * scale;
  return resample(ink, width, stats, scale, offsetX, offsetY);
}

/** The whole pad area-averaged to 28×28 without cropping or centring (the "raw" view); null when blank. */
export function rawDownsample(ink, width, height) {
  if (!inkStats(ink, width, height)) return null;
  const scale = SIZE / Math.max(width, height);
  return resample(ink, width, { x0: 0, x1: width - 1, y0: 0, y1: height - 1 }, scale, 0, 0);
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
