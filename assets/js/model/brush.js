// A soft round brush painted as capsules: each pointer move paints the whole
// segment from the previous point, so fast strokes leave no gaps. Pure: works
// on a Float32Array of ink values 0..1.

/** Ink left by a brush of radius r at distance d: full in the core, smooth fall-off to the rim. */
function profile(d, radius) {
  const core = radius * 0.45;
  if (d <= core) return 1;
  if (d >= radius) return 0;
  const t = 1 - (d - core) / (radius - core);
  return t * t * (3 - 2 * t); // smoothstep
}

/**
 * Paint (or erase) the segment (x0, y0) → (x1, y1) in pixel coordinates.
 * Drawing keeps the darker of old and new ink (max), erasing the lighter of old and (1 − brush).
 * Returns the touched rectangle {left, top, right, bottom} (inclusive) or null.
 */
export function paintSegment(ink, width, height, x0, y0, x1, y1, radius, erase = false) {
  const left = Math.max(0, Math.floor(Math.min(x0, x1) - radius));
  const right = Math.min(width - 1, Math.ceil(Math.max(x0, x1) + radius));
  const top = Math.max(0, Math.floor(Math.min(y0, y1) - radius));
  const bottom = Math.min(height - 1, Math.ceil(Math.max(y0, y1) + radius));
  if (left > right || top > bottom) return null;
  const dx = x1 - x0,
    dy = y1 - y0;
  const lengthSquared = dx * dx + dy * dy;
  for (let y = top; y <= bottom; y++) {
    const py = y + 0.5;
    for (let x = left; x <= right; x++) {
      const px = x + 0.5;
      // Distance from the pixel centre to the segment.
      let t = lengthSquared ? ((px - x0) * dx + (py - y0) * dy) / lengthSquared : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = px - (x0 + t * dx),
        ey = py - (y0 + t * dy);
      const amount = profile(Math.sqrt(ex * ex + ey * ey), radius);
      if (amount === 0) continue;
      const i = y * width + x;
      if (erase) ink[i] = Math.min(ink[i], 1 - amount);
      else if (amount > ink[i]) ink[i] = amount;
    }
  }
  return { left, top, right, bottom };
}

/**
 * Paint a whole stroke exactly as the drawing pad does while it is drawn: a dot where the
 * pointer goes down, then one straight segment from each pointer event to the next — so a
 * fast stroke with few events becomes a polyline. points: [[x, y], …] in pixel coordinates.
 */
export function paintStroke(ink, width, height, points, radius, erase = false) {
  let [x0, y0] = points[0];
  for (const [x1, y1] of points) {
    paintSegment(ink, width, height, x0, y0, x1, y1, radius, erase);
    x0 = x1;
    y0 = y1;
  }
}
