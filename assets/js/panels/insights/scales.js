// Axis scales for the training charts (DOM-free).

import { formatNumber } from "../../i18n/i18n.js";

/**
 * "Images seen" axis: log10(1 + n / k) normalised to 0..1. Like a log scale it spreads out
 * the dense early snapshots (50, 120, … images), but it also places n = 0 (the untrained
 * network) at the left edge instead of at minus infinity; below k it is nearly linear.
 * @param {number} k the smallest positive count worth resolving (the first snapshot's)
 * @param {number} max the largest count on the axis
 */
export class SymlogScale {
  constructor(k, max) {
    this.k = Math.max(1, k);
    this.max = Math.max(max, this.k);
    this.span = Math.log10(1 + this.max / this.k);
  }

  map(n) {
    return Math.log10(1 + Math.max(0, n) / this.k) / this.span;
  }

  /** 0, then the powers of ten from k up to max. */
  ticks() {
    const ticks = [0];
    for (let power = 10 ** Math.ceil(Math.log10(this.k)); power <= this.max; power *= 10) ticks.push(power);
    return ticks;
  }
}

/** A log axis from a little below `min` to a little above `max`, normalised to 0..1. */
export class LogScale {
  constructor(min, max) {
    this.min = min * 0.8;
    this.max = max * 1.25;
    this.low = Math.log10(this.min);
    this.span = Math.log10(this.max) - this.low || 1;
  }

  map(value) {
    return (Math.log10(value) - this.low) / this.span;
  }

  /** Powers of ten inside the domain, with 2× and 5× steps added when a decade or less is shown. */
  ticks() {
    const ticks = [];
    const steps = this.span < 1.2 ? [1, 2, 5] : [1];
    for (let power = Math.floor(this.low); power <= Math.ceil(Math.log10(this.max)); power++) {
      for (const step of steps) {
        const tick = Number((step * 10 ** power).toPrecision(1));
        if (tick >= this.min && tick <= this.max) ticks.push(tick);
      }
    }
    return ticks;
  }
}

/** 0, 50, 1.2k, 60k, 3M: short counts for axis labels and readouts. */
export function formatCount(n) {
  for (const [size, suffix] of [
    [1e6, "M"],
    [1e3, "k"],
  ]) {
    if (n >= size) return `${compactNumber(Number((n / size).toPrecision(n >= size * 100 ? 3 : 2)))}${suffix}`;
  }
  return compactNumber(n);
}

/** `value` in the page's language with the decimals it has: 1.5 → "1.5" / "1,5" (1e-7 stays as it is). */
function compactNumber(value) {
  const text = String(value);
  return text.includes("e") ? text : formatNumber(value, text.split(".")[1]?.length ?? 0);
}
