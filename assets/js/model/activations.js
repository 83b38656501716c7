// The elementwise activations of the export format (relu, tanh, sigmoid, gelu) and their
// derivatives, in place over typed arrays: nothing is allocated.

/** erf(x) by Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7, far below float16 precision). */
export function erf(x) {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign * (1 - poly * Math.exp(-a * a));
}

const SQRT_HALF = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** One value through the activation `name`. */
export function activation(name, x) {
  if (name === "relu") return x > 0 ? x : 0;
  if (name === "tanh") return Math.tanh(x);
  if (name === "sigmoid") return 1 / (1 + Math.exp(-x));
  if (name === "gelu") return 0.5 * x * (1 + erf(x * SQRT_HALF));
  throw new Error(`unknown activation "${name}"`);
}

/** d activation / dx at the pre-activation x. */
export function derivative(name, x) {
  if (name === "relu") return x > 0 ? 1 : 0;
  if (name === "tanh") {
    const t = Math.tanh(x);
    return 1 - t * t;
  }
  if (name === "sigmoid") {
    const s = 1 / (1 + Math.exp(-x));
    return s * (1 - s);
  }
  if (name === "gelu") return 0.5 * (1 + erf(x * SQRT_HALF)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  throw new Error(`unknown activation "${name}"`);
}

/** out[i] = activation(pre[i]) for every i. */
export function activate(name, pre, out) {
  if (name === "relu") {
    for (let i = 0; i < pre.length; i++) out[i] = pre[i] > 0 ? pre[i] : 0;
    return;
  }
  for (let i = 0; i < pre.length; i++) out[i] = activation(name, pre[i]);
}
