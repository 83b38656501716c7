// Test helpers: a tiny safetensors writer (with float16 encoding) and a
// synthetic manifest that follows docs/export-format.md; the committed exports as read from disk.

import { readFile } from "node:fs/promises";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float → IEEE half bits, round to nearest even (independent of the decoder under test). */
export function toHalfBits(value) {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const midpoint = 1 << (shift - 1);
    if (rest > midpoint || (rest === midpoint && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

const BYTES = { F16: 2, F32: 4, U8: 1, I32: 4 };

function encode(dtype, values) {
  if (dtype === "F16") return new Uint8Array(Uint16Array.from(values, toHalfBits).buffer);
  if (dtype === "F32") return new Uint8Array(Float32Array.from(values).buffer);
  if (dtype === "U8") return Uint8Array.from(values);
  if (dtype === "I32") return new Uint8Array(Int32Array.from(values).buffer);
  throw new Error(`cannot encode ${dtype}`);
}

/** tensors: { name: { dtype, shape, values } } → ArrayBuffer in safetensors layout. */
export function writeSafetensors(tensors, metadata = {}, { headerPatch = (h) => h } = {}) {
  const header = { __metadata__: metadata };
  const chunks = [];
  let offset = 0;
  for (const [name, { dtype, shape, values }] of Object.entries(tensors)) {
    const bytes = encode(dtype, values);
    if (bytes.length !== shape.reduce((a, b) => a * b, 1) * BYTES[dtype]) throw new Error(`bad test tensor ${name}`);
    header[name] = { dtype, shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(headerPatch(header));
  while ((8 + json.length) % 8) json += " ";
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out.buffer;
}

/** Deterministic pseudo-random numbers in [-1, 1). */
export function random(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 2 ** 32) * 2 - 1;
  };
}

/** A small random network's tensors for layer sizes `sizes`, as safetensors input. */
export function randomNetwork(sizes, seed = 1, { latentProbe = 0 } = {}) {
  const next = random(seed);
  const tensors = {};
  for (let i = 0; i < sizes.length - 1; i++) {
    const fanIn = sizes[i];
    tensors[`layers.${i}.weight`] = {
      dtype: "F16",
      shape: [sizes[i + 1], fanIn],
      values: Array.from({ length: sizes[i + 1] * fanIn }, () => next() / Math.sqrt(fanIn)),
    };
    tensors[`layers.${i}.bias`] = { dtype: "F16", shape: [sizes[i + 1]], values: Array.from({ length: sizes[i + 1] }, () => next() * 0.1) };
  }
  if (latentProbe) {
    const h = sizes.at(-2);
    tensors["latent.mean"] = { dtype: "F16", shape: [h], values: Array.from({ length: h }, () => next()) };
    tensors["latent.components"] = { dtype: "F16", shape: [2, h], values: Array.from({ length: 2 * h }, () => next()) };
    tensors["latent.coords"] = { dtype: "F16", shape: [latentProbe, 2], values: Array.from({ length: 2 * latentProbe }, () => next()) };
  }
  return tensors;
}

export const LAYER_SIZES = [784, 16, 12, 10];

/** A valid manifest (format version 1) with `count` snapshots of LAYER_SIZES. */
export function makeManifest(count = 3, { latentProbe = 4 } = {}) {
  const seen = [0, 50, 120, 2000, 60000, 120000];
  return {
    format: "mnist-mlp-timeline",
    format_version: 1,
    model: {
      architecture: "mlp",
      layer_sizes: LAYER_SIZES,
      activations: ["relu", "relu", "softmax"],
      input: { shape: [28, 28], scale: 255, mean: 0.1307, std: 0.3081 },
      class_names: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
      tensor_dtype: "F16",
    },
    training: { dataset: { name: "MNIST", train_size: 60000, test_size: 10000 } },
    latent: { layer: 2, method: "pca2d+procrustes", probe_size: latentProbe },
    timeline: Array.from({ length: count }, (_, index) => ({
      index,
      id: `snap${index}`,
      label: `snapshot ${index}`,
      images_seen: seen[index] ?? 60000 * index,
      file: `mlp_weights/${String(index).padStart(3, "0")}_snap${index}.safetensors`,
      metrics: { test_accuracy: 0.1 + index * 0.1 },
    })),
  };
}

const EXPORTS = new URL("../../exports/", import.meta.url);

/** A committed export's file (path relative to exports/) read from disk, as its tensors. */
export async function committedTensors(file) {
  const bytes = await readFile(new URL(file, EXPORTS));
  return parseSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).tensors;
}

/** A committed export's manifest (e.g. "cnn_weights.json"), through the page's validator. */
export async function committedManifest(name) {
  return validateManifest(JSON.parse(await readFile(new URL(name, EXPORTS), "utf8")), `http://x/exports/${name}`);
}
