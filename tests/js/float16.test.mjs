import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeFloat16, float16Table } from "../../assets/js/data/float16.js";
import { toHalfBits } from "./helpers.mjs";

test("known half-precision bit patterns decode exactly", () => {
  const bits = Uint16Array.from([0x0000, 0x8000, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x3555, 0x7c00, 0xfc00]);
  const out = decodeFloat16(bits, { useNative: false });
  const expected = [0, -0, 1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, 0.333251953125, Infinity, -Infinity];
  assert.deepEqual(Array.from(out), expected);
  assert.ok(Object.is(out[1], -0));
  assert.ok(Number.isNaN(decodeFloat16(Uint16Array.of(0x7e00), { useNative: false })[0]));
});

test("the lookup table round-trips every finite half value", () => {
  const table = float16Table();
  assert.equal(table.length, 65536);
  for (let bits = 0; bits < 65536; bits++) {
    if (((bits >> 10) & 0x1f) === 0x1f) continue; // infinities and NaNs
    assert.equal(toHalfBits(table[bits]), bits, `bits 0x${bits.toString(16)}`);
  }
});

test("raw little-endian bytes decode, aligned or not", () => {
  const bytes = Uint8Array.of(0xff, 0x00, 0x3c, 0x00, 0xc0); // one junk byte, then 1.0 and -2.0
  assert.deepEqual(Array.from(decodeFloat16(bytes.subarray(1), { useNative: false })), [1, -2]);
  assert.throws(() => decodeFloat16(Uint8Array.of(1, 2, 3)), /odd byte length/);
  assert.throws(() => decodeFloat16([1, 2]), /expects a Uint16Array/);
});

test("the native Float16Array path agrees with the table when the runtime has one", {
  skip: typeof Float16Array !== "function" && "no Float16Array in this runtime",
}, () => {
  const bits = Uint16Array.from({ length: 0x7c00 }, (_, i) => i);
  assert.deepEqual(decodeFloat16(bits, { useNative: true }), decodeFloat16(bits, { useNative: false }));
});
