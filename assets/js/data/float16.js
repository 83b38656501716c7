// IEEE 754 half precision → Float32Array. Uses the runtime's Float16Array
// when it has one (Chromium ≥ 135, Node ≥ 24); otherwise a 65,536-entry table
// built once, which is faster than bit twiddling per element.

import { DataError } from "./messages.js";

let table = null;

function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

export function float16Table() {
  if (!table) {
    table = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) table[bits] = halfToFloat(bits);
  }
  return table;
}

function asHalfBits(input) {
  if (input instanceof Uint16Array) return input;
  if (input instanceof Uint8Array) {
    if (input.byteLength % 2) throw new DataError("data.float16Odd", { bytes: input.byteLength });
    // A Uint16Array view needs 2-byte alignment; copy when the bytes are not aligned.
    if (input.byteOffset % 2) return new Uint16Array(input.slice().buffer);
    return new Uint16Array(input.buffer, input.byteOffset, input.byteLength / 2);
  }
  throw new TypeError("decodeFloat16 expects a Uint16Array or a Uint8Array");
}

/** Decode little-endian float16 values (a Uint16Array of bit patterns, or raw bytes). */
export function decodeFloat16(input, { useNative = typeof Float16Array === "function" } = {}) {
  const bits = asHalfBits(input);
  if (useNative) {
    return Float32Array.from(new Float16Array(bits.buffer, bits.byteOffset, bits.length));
  }
  const lookup = float16Table();
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = lookup[bits[i]];
  return out;
}
