// The one diverging palette every view shares: cool blue for negative values,
// a dark neutral at zero (it fades into the dark background), warm orange for
// positive values. Blue/orange stays distinguishable with the common forms of
// colour blindness (deuteranopia, protanopia, tritanopia), unlike red/green.

const STOPS = [
  [-1.0, [0.62, 0.83, 1.0]], // #9ed3ff
  [-0.55, [0.2, 0.52, 0.93]], // #3385ed
  [0.0, [0.11, 0.13, 0.18]], // #1c212e, the neutral
  [0.55, [0.93, 0.5, 0.13]], // #ed8021
  [1.0, [1.0, 0.86, 0.55]], // #ffdb8c
];

const LUT_SIZE = 512;

function interpolate(t) {
  for (let s = 1; s < STOPS.length; s++) {
    const [t1, c1] = STOPS[s];
    if (t <= t1) {
      const [t0, c0] = STOPS[s - 1];
      const f = (t - t0) / (t1 - t0);
      return c0.map((v, i) => v + (c1[i] - v) * f);
    }
  }
  return STOPS.at(-1)[1];
}

// three.js treats vertex and instance colours as linear and converts its output to sRGB,
// so colours meant for WebGL are converted from sRGB (what the stops and CSS use) to linear.
const toLinear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

/** RGB floats for LUT_SIZE evenly spaced values from -1 to 1, [r0, g0, b0, r1, …], through `encode`. */
function table(encode) {
  const lut = new Float32Array(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) lut.set(interpolate((i / (LUT_SIZE - 1)) * 2 - 1).map(encode), i * 3);
  return lut;
}

const LUT = table(toLinear); // for WebGL
/** sRGB bytes, as CSS and 2D canvases use them (the legends' colours). */
const SRGB_BYTES = Uint8ClampedArray.from(
  table((c) => c),
  (v) => Math.round(v * 255),
);

/** The same table as bytes 0..255 (for compact vertex colours). */
export const LUT_BYTES = Uint8Array.from(LUT, (v) => Math.round(v * 255));

/** Index into LUT / LUT_BYTES (times 3) of value t ∈ [-1, 1], clamped. */
export function lutIndex(t) {
  const clamped = t < -1 ? -1 : t > 1 ? 1 : t;
  return Math.round(((clamped + 1) / 2) * (LUT_SIZE - 1)) * 3;
}

/** Write the linear-RGB colour of value t ∈ [-1, 1] (clamped), times `gain`, into out[offset..offset+2] (for WebGL). */
export function writeColor(t, out, offset, gain = 1) {
  const i = lutIndex(t);
  out[offset] = LUT[i] * gain;
  out[offset + 1] = LUT[i + 1] * gain;
  out[offset + 2] = LUT[i + 2] * gain;
}

/**
 * Write the sRGB bytes (0..255) of value t ∈ [-1, 1] (clamped) into out[offset..offset+2]:
 * for 2D canvases' ImageData, so their pixels match the CSS legends exactly.
 */
export function writeSrgbBytes(t, out, offset) {
  const i = lutIndex(t);
  out[offset] = SRGB_BYTES[i];
  out[offset + 1] = SRGB_BYTES[i + 1];
  out[offset + 2] = SRGB_BYTES[i + 2];
}

const hex = (rgb) =>
  `#${rgb
    .map((v) =>
      Math.round(v * 255)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;

/** CSS colour for t ∈ [-1, 1] (for the 2D views). */
export function cssColor(t) {
  return hex(interpolate(Math.max(-1, Math.min(1, t))));
}

/** A CSS linear-gradient of the whole palette, negative on the left. */
export function cssGradient(direction = "to right") {
  return `linear-gradient(${direction}, ${STOPS.map(([t, rgb]) => `${hex(rgb)} ${((t + 1) / 2) * 100}%`).join(", ")})`;
}

const glslFloat = (v) => (Number.isInteger(v) ? v.toFixed(1) : String(v));
const glslVec3 = (rgb) => `vec3(${rgb.map(glslFloat).join(", ")})`;

/**
 * The palette as a GLSL function, `vec3 paletteLinear(float t)`: interpolate (on the same
 * stops, written from STOPS) then toLinear, as writeColor does through its table, for shaders
 * that colour values themselves (scene/gpu-connection-lines.js).
 */
export const GLSL_PALETTE = `
vec3 srgbToLinear(vec3 c) {
  return mix(c / 12.92, pow((c + 0.055) / 1.055, vec3(2.4)), step(vec3(0.04045), c));
}
vec3 paletteLinear(float t) {
  t = clamp(t, -1.0, 1.0);
  vec3 c = ${glslVec3(STOPS.at(-1)[1])};
${STOPS.slice(1)
  .map(([t1, c1], s) => {
    const [t0, c0] = STOPS[s];
    const test = s === 0 ? "if" : "else if";
    return `  ${test} (t <= ${glslFloat(t1)}) c = mix(${glslVec3(c0)}, ${glslVec3(c1)}, (t - (${glslFloat(t0)})) / ${glslFloat(t1 - t0)});`;
  })
  .join("\n")}
  return srgbToLinear(c);
}
`;
