// The pad update format (data/pad-message.js) on the cases tests/fixtures/pad_updates.json
// shares with the kiosk relay's tests, and the reader's order and duplicate handling.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import {
  decodePadUpdate,
  encodePadUpdate,
  isRoomCode,
  MAX_UPDATE_BYTES,
  newRoomCode,
  PAD_PIXELS,
  PadUpdateReader,
  quantise,
  ROOM_ALPHABET,
} from "../../assets/js/data/pad-message.js";

const FIXTURE = JSON.parse(readFileSync(new URL("../fixtures/pad_updates.json", import.meta.url), "utf8"));
const { room } = FIXTURE;

test("every valid update of the shared fixture decodes to its picture", () => {
  for (const message of FIXTURE.valid) {
    const update = decodePadUpdate(message, room);
    assert.equal(update.seq, message.seq);
    if (message.pixels === null) assert.equal(update.pixels, null);
    else {
      assert.equal(update.pixels.length, PAD_PIXELS);
      for (let i = 0; i < PAD_PIXELS; i++) assert.equal(Math.round(update.pixels[i] * 255), (i * 7) % 256);
    }
    assert.deepEqual(decodePadUpdate(JSON.stringify(message), room), update, "the JSON text reads the same");
  }
});

test("every invalid update of the shared fixture is refused with a reason", () => {
  for (const { why, message } of FIXTURE.invalid) {
    assert.throws(() => decodePadUpdate(message, room), /./, why);
    assert.throws(() => decodePadUpdate(JSON.stringify(message), room), /./, `${why} (as JSON text)`);
  }
  assert.throws(() => decodePadUpdate("{", room), /not JSON/);
  assert.throws(() => decodePadUpdate(" ".repeat(MAX_UPDATE_BYTES + 1), room), /longer than 4096 bytes/);
});

test("encoding a drawing and decoding it gives the quantised drawing back, under the size cap", () => {
  const drawing = Float32Array.from({ length: PAD_PIXELS }, (_, i) => (i % 29) / 28);
  const bytes = quantise(drawing);
  const message = encodePadUpdate({ room, session: "00ff00ff", seq: 3, bytes, sentAt: 12.5 });
  const text = JSON.stringify(message);
  assert.ok(text.length < MAX_UPDATE_BYTES / 3, `${text.length} bytes`);
  const update = decodePadUpdate(text, room);
  for (let i = 0; i < PAD_PIXELS; i++) assert.ok(Math.abs(update.pixels[i] - drawing[i]) <= 0.5 / 255 + 1e-7);
  assert.equal(decodePadUpdate(encodePadUpdate({ room, session: "00ff00ff", seq: 4, bytes: null, sentAt: 0 }), room).pixels, null);
});

test("the reader shows only newer updates of a pad; a new pad session starts afresh", () => {
  const reader = new PadUpdateReader(room);
  const at = (session, seq) => ({ ...FIXTURE.valid[0], session, seq });
  assert.ok(reader.read(at("aaaaaaaa", 5)));
  assert.equal(reader.read(at("aaaaaaaa", 5)), null, "the same update by a second transport");
  assert.equal(reader.read(at("aaaaaaaa", 4)), null, "a late one");
  assert.ok(reader.read(at("aaaaaaaa", 6)));
  assert.ok(reader.read(at("bbbbbbbb", 1)), "the pad reloaded");
  assert.equal(reader.read({ ...at("bbbbbbbb", 2), seq: "2" }), null);
  assert.deepEqual(reader.counts, { accepted: 3, stale: 2, malformed: 1 });
  assert.match(reader.lastError, /seq/);
});

test("room codes use the unambiguous alphabet, evenly", () => {
  const random = (bytes) => crypto.getRandomValues(bytes);
  const seen = new Map();
  for (let i = 0; i < 3000; i++) {
    const code = newRoomCode(random);
    assert.ok(isRoomCode(code), code);
    for (const c of code) seen.set(c, (seen.get(c) ?? 0) + 1);
  }
  assert.equal(seen.size, ROOM_ALPHABET.length);
  for (const count of seen.values()) assert.ok(Math.abs(count - 18000 / 31) < 120, String(count)); // 5 standard deviations
  for (const bad of ["K7QX2", "K7QX2MM", "k7qx2m", "K7QX0M", "K7QXIM", null]) assert.equal(isRoomCode(bad), false, bad);
});
