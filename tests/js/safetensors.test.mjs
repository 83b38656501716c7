import assert from "node:assert/strict";
import { test } from "node:test";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { writeSafetensors } from "./helpers.mjs";

const TENSORS = {
  w: { dtype: "F16", shape: [2, 3], values: [1, -2, 0.5, 0.25, 65504, -0] },
  img: { dtype: "U8", shape: [2, 2], values: [0, 255, 17, 3] },
  idx: { dtype: "I32", shape: [3], values: [7, -1, 9999] },
};

test("F16, U8 and I32 tensors and the metadata are read", () => {
  const { metadata, tensors } = parseSafetensors(writeSafetensors(TENSORS, { id: "ep1", index: "3" }));
  assert.deepEqual(metadata, { id: "ep1", index: "3" });
  assert.deepEqual([...tensors.keys()], ["w", "img", "idx"]);
  const w = tensors.get("w");
  assert.equal(w.dtype, "F16");
  assert.deepEqual(w.shape, [2, 3]);
  assert.ok(w.data instanceof Float32Array);
  assert.deepEqual(Array.from(w.data), [1, -2, 0.5, 0.25, 65504, -0]);
  assert.ok(tensors.get("img").data instanceof Uint8Array);
  assert.deepEqual(Array.from(tensors.get("img").data), [0, 255, 17, 3]);
  assert.ok(tensors.get("idx").data instanceof Int32Array);
  assert.deepEqual(Array.from(tensors.get("idx").data), [7, -1, 9999]);
});

test("odd-length data ahead of an I32 tensor (unaligned offsets) still parses", () => {
  const buffer = writeSafetensors({ b: { dtype: "U8", shape: [3], values: [1, 2, 3] }, i: { dtype: "I32", shape: [1], values: [-5] } });
  assert.deepEqual(Array.from(parseSafetensors(buffer).tensors.get("i").data), [-5]);
});

test("a file shorter than the 8-byte length is reported as truncated", () => {
  assert.throws(() => parseSafetensors(new ArrayBuffer(5)), /truncated file: 5 bytes/);
});

test("a header length beyond the file is truncated; zero or absurd is bad", () => {
  const buffer = writeSafetensors(TENSORS);
  assert.throws(() => parseSafetensors(buffer.slice(0, 40)), /truncated file: header of \d+ bytes/);
  const zero = new ArrayBuffer(16);
  assert.throws(() => parseSafetensors(zero), /bad header length 0/);
  const huge = new ArrayBuffer(16);
  new DataView(huge).setBigUint64(0, 2n ** 60n, true);
  assert.throws(() => parseSafetensors(huge), /bad header length/);
});

test("a header that is not JSON, or not an object, is refused", () => {
  const text = new TextEncoder().encode("{not json}");
  const buffer = new Uint8Array(8 + text.length);
  new DataView(buffer.buffer).setBigUint64(0, BigInt(text.length), true);
  buffer.set(text, 8);
  assert.throws(() => parseSafetensors(buffer.buffer), /header is not valid JSON/);
  const array = new TextEncoder().encode("[1,2]");
  const arrayBuffer = new Uint8Array(8 + array.length);
  new DataView(arrayBuffer.buffer).setBigUint64(0, BigInt(array.length), true);
  arrayBuffer.set(array, 8);
  assert.throws(() => parseSafetensors(arrayBuffer.buffer), /not a JSON object/);
});

test("data cut off after the header is an out-of-range offset", () => {
  const buffer = writeSafetensors(TENSORS);
  assert.throws(() => parseSafetensors(buffer.slice(0, buffer.byteLength - 4)), /"idx" offsets \[\d+, \d+\] are out of range .*truncated/);
});

test("offsets that disagree with the shape, or run backwards, are refused", () => {
  const grow = writeSafetensors(TENSORS, {}, { headerPatch: (h) => ({ ...h, w: { ...h.w, shape: [3, 3] } }) });
  assert.throws(() => parseSafetensors(grow), /"w" has 12 bytes but shape \[3,3\] F16 needs 18/);
  const backwards = writeSafetensors(TENSORS, {}, { headerPatch: (h) => ({ ...h, w: { ...h.w, data_offsets: [12, 0] } }) });
  assert.throws(() => parseSafetensors(backwards), /"w" offsets \[12, 0\] are out of range/);
});

test("an unknown dtype is named", () => {
  const buffer = writeSafetensors(TENSORS, {}, { headerPatch: (h) => ({ ...h, w: { ...h.w, dtype: "BF16" } }) });
  assert.throws(() => parseSafetensors(buffer), /"w" has unknown dtype "BF16"/);
});

test("anything but an ArrayBuffer is a type error", () => {
  assert.throws(() => parseSafetensors(new Uint8Array(10)), TypeError);
});
