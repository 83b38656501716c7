// Placing activations on the latent map, and animating the map between snapshots.
// DOM-free so node --test can check it against the exported coordinates.

/**
 * coords = (h - mean) @ components.T, exactly how the exporter made `latent.coords`
 * (docs/export-format.md). Accumulates in doubles so the only mismatch left is the
 * exporter's float16 rounding of the result.
 * @param {ArrayLike<number>} hiddenLast last hidden layer's activation (after ReLU), length H
 * @param {ArrayLike<number>} mean `latent.mean`, length H
 * @param {ArrayLike<number>} components `latent.components`, row-major [2, H]
 * @returns {[number, number]}
 */
export function projectToLatent(hiddenLast, mean, components) {
  const width = mean.length;
  if (hiddenLast.length !== width || components.length !== 2 * width) {
    throw new Error(
      `projectToLatent: expected ${width} activations and ${2 * width} component values, ` +
        `got ${hiddenLast.length} and ${components.length}`,
    );
  }
  let x = 0;
  let y = 0;
  for (let i = 0; i < width; i++) {
    const centred = hiddenLast[i] - mean[i];
    x += centred * components[i];
    y += centred * components[width + i];
  }
  return [x, y];
}

/**
 * The square region of the map to show: [centreX, centreY, halfSide]. It covers each
 * axis from its 0.5th to its 99.5th percentile plus a margin, so a few stray digits cannot shrink
 * the clusters into a corner (early snapshots have long tails). Square keeps distances true.
 * @param {ArrayLike<number>} coords flat [x0, y0, x1, y1, ...]
 */
export function viewBox(coords, margin = 0.12) {
  const count = coords.length / 2;
  if (count === 0) return [0, 0, 1];
  const xs = new Float64Array(count);
  const ys = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    xs[i] = coords[2 * i];
    ys[i] = coords[2 * i + 1];
  }
  xs.sort();
  ys.sort();
  const low = Math.floor(0.005 * (count - 1));
  const high = Math.ceil(0.995 * (count - 1));
  const half = Math.max(xs[high] - xs[low], ys[high] - ys[low], 1e-6) / 2;
  return [(xs[low] + xs[high]) / 2, (ys[low] + ys[high]) / 2, half * (1 + margin)];
}

/**
 * Keyboard browsing of the map: the point nearest to point `from` within 45° of the
 * direction (dx, dy) (map coordinates, y up), or -1 when there is none that way.
 * @param {ArrayLike<number>} coords flat [x0, y0, x1, y1, ...]
 * @param {(i: number) => boolean} [eligible] skip points for which this is false
 */
export function nearestInDirection(coords, from, dx, dy, eligible = () => true) {
  const fromX = coords[2 * from];
  const fromY = coords[2 * from + 1];
  let best = -1;
  let bestDistance = Infinity;
  for (let i = 0; i < coords.length / 2; i++) {
    if (i === from || !eligible(i)) continue;
    const x = coords[2 * i] - fromX;
    const y = coords[2 * i + 1] - fromY;
    const along = x * dx + y * dy;
    const across = Math.abs(x * dy - y * dx);
    if (along <= 0 || across > along) continue; // outside the 45° cone
    const distance = x * x + y * y;
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  }
  return best;
}

/** Smooth start and stop, so points glide instead of jerking between snapshots. */
export function easeInOutCubic(t) {
  if (t <= 0) return 0;
  if (t >= 1) return 1;
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
}

/**
 * Linear blend of two flat coordinate arrays ([x0, y0, x1, y1, ...]) into `out`.
 * `out` is reused every animation frame to avoid allocating 2,000 numbers per frame.
 */
export function interpolateCoords(from, to, t, out) {
  if (from.length !== to.length || out.length !== from.length) {
    throw new Error(`interpolateCoords: lengths differ (from ${from.length}, to ${to.length}, out ${out.length})`);
  }
  for (let i = 0; i < out.length; i++) out[i] = from[i] + (to[i] - from[i]) * t;
  return out;
}

/**
 * Drives one transition from `from` to `to` over `durationMs`: call `frame(now)` from
 * requestAnimationFrame; it writes the eased blend into `current` and reports whether
 * more frames are needed. Restarting mid-way starts from wherever the points are now,
 * so fast scrubbing never makes them jump.
 */
export class CoordsTransition {
  constructor(durationMs = 400) {
    this.durationMs = durationMs;
    this.from = null;
    this.to = null;
    this.current = null;
    this.startedAt = 0;
    this.running = false;
  }

  /** Jump straight to `coords` (first display, or a different probe set). */
  snapTo(coords) {
    this.current = Float32Array.from(coords);
    this.from = this.current;
    this.to = this.current;
    this.running = false;
  }

  /** Begin gliding from the current positions to `coords`, starting at time `now` (ms). */
  start(coords, now) {
    if (!this.current || this.current.length !== coords.length || this.durationMs <= 0) {
      this.snapTo(coords);
      return;
    }
    this.from = Float32Array.from(this.current);
    this.to = coords;
    this.startedAt = now;
    this.running = true;
  }

  /** Advance to time `now` (ms); returns true while the transition is still running. */
  frame(now) {
    if (!this.running) return false;
    const t = Math.min(1, Math.max(0, (now - this.startedAt) / this.durationMs));
    interpolateCoords(this.from, this.to, easeInOutCubic(t), this.current);
    if (t >= 1) this.running = false;
    return this.running;
  }
}
