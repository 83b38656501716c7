// A pad update: what a pad window (?role=pad) sends to a display (?role=display) after each
// change of its drawing, through a BroadcastChannel or the kiosk server's relay
// (scripts/kiosk/relay.py checks the same format). One JSON object:
//
//   { "type": "pad", "room": "K7QX2M", "session": "a1b2c3d4", "seq": 17,
//     "pixels": "<base64 of 784 bytes>" | null, "sentAt": 1764770000123.4 }
//
// pixels is the network's 28×28 input, row-major, ink 0..255 (null: the pad is blank);
// the whole picture every time, so a lost or late update is repaired by the next one.
// session names one pad page (a reload is a new pad); seq counts its updates from 1 and
// only a newer one is shown; sentAt (ms since the epoch) is for the latency benchmark.
// Anything else is refused with a reason: the display shows only what it can trust.

/** Rows × columns of the image a pad update carries (MNIST's input). */
export const PAD_SIDE = 28;
export const PAD_PIXELS = PAD_SIDE * PAD_SIDE;
/** Room codes: six characters that cannot be misread (no 0/O, 1/I/L). */
export const ROOM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const ROOM_LENGTH = 6;
/** The largest update the relay accepts, in bytes of JSON (one update is about 1.2 kB). */
export const MAX_UPDATE_BYTES = 4096;

const ROOM_PATTERN = new RegExp(`^[${ROOM_ALPHABET}]{${ROOM_LENGTH}}$`);
const SESSION_PATTERN = /^[0-9a-f]{8,32}$/;
const BASE64_LENGTH = Math.ceil(PAD_PIXELS / 3) * 4;
const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;
const KEYS = ["pixels", "room", "sentAt", "seq", "session", "type"];

export function isRoomCode(text) {
  return typeof text === "string" && ROOM_PATTERN.test(text);
}

/** A new room code from `random` (a function filling a Uint8Array, e.g. crypto.getRandomValues). */
export function newRoomCode(random) {
  const bytes = random(new Uint8Array(ROOM_LENGTH * 4));
  let code = "";
  // Rejection sampling keeps every character equally likely (256 is no multiple of 31).
  const limit = 256 - (256 % ROOM_ALPHABET.length);
  for (const byte of bytes) {
    if (byte < limit) code += ROOM_ALPHABET[byte % ROOM_ALPHABET.length];
    if (code.length === ROOM_LENGTH) return code;
  }
  return newRoomCode(random);
}

/** Ink 0..1 (PAD_PIXELS values) as the bytes a pad update carries; the pad computes from these too. */
export function quantise(pixels) {
  const bytes = new Uint8Array(PAD_PIXELS);
  for (let i = 0; i < PAD_PIXELS; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  return bytes;
}

/** The update for `bytes` (from quantise, or null for a blank pad). */
export function encodePadUpdate({ room, session, seq, bytes, sentAt }) {
  return { type: "pad", room, session, seq, pixels: bytes ? btoa(String.fromCharCode(...bytes)) : null, sentAt };
}

/**
 * The update in `message` (an object, or its JSON text) for `room`, checked field by field:
 * { session, seq, sentAt, pixels: Float32Array ink 0..1 | null }. Throws an Error saying
 * what is wrong with anything else.
 */
export function decodePadUpdate(message, room) {
  if (typeof message === "string") {
    if (message.length > MAX_UPDATE_BYTES) throw new Error(`longer than ${MAX_UPDATE_BYTES} bytes`);
    try {
      message = JSON.parse(message);
    } catch {
      throw new Error("not JSON");
    }
  }
  if (message === null || typeof message !== "object" || Array.isArray(message)) throw new Error("not a JSON object");
  const keys = Object.keys(message).sort();
  if (keys.join() !== KEYS.join()) throw new Error(`fields must be exactly ${KEYS.join(", ")}`);
  if (message.type !== "pad") throw new Error("type is not pad");
  if (message.room !== room) throw new Error("for another room");
  if (typeof message.session !== "string" || !SESSION_PATTERN.test(message.session)) throw new Error("bad session");
  if (!Number.isSafeInteger(message.seq) || message.seq < 1) throw new Error("seq is not a positive integer");
  if (typeof message.sentAt !== "number" || !Number.isFinite(message.sentAt) || message.sentAt < 0) throw new Error("bad sentAt");
  return { session: message.session, seq: message.seq, sentAt: message.sentAt, pixels: decodePixels(message.pixels) };
}

function decodePixels(text) {
  if (text === null) return null;
  if (typeof text !== "string" || text.length !== BASE64_LENGTH || !BASE64_PATTERN.test(text)) {
    throw new Error(`pixels must be base64 of ${PAD_PIXELS} bytes or null`);
  }
  let binary = "";
  try {
    binary = atob(text);
  } catch {
    // refused below, with the same words as any other wrong picture
  }
  if (binary.length !== PAD_PIXELS) throw new Error(`pixels must be base64 of ${PAD_PIXELS} bytes or null`);
  const pixels = new Float32Array(PAD_PIXELS);
  for (let i = 0; i < PAD_PIXELS; i++) pixels[i] = binary.charCodeAt(i) / 255;
  return pixels;
}

/**
 * Reads a stream of updates for one room: each accepted update is newer than the last one
 * of its pad (a new session — the pad reloaded, or another pad took over — starts afresh);
 * duplicates (one update arriving by two transports), stale and malformed ones are dropped
 * and counted.
 */
export class PadUpdateReader {
  constructor(room) {
    this.room = room;
    this.session = null;
    this.seq = 0;
    this.counts = { accepted: 0, stale: 0, malformed: 0 };
    this.lastError = "";
  }

  /** The decoded update, or null when it is dropped. */
  read(message) {
    let update;
    try {
      update = decodePadUpdate(message, this.room);
    } catch (error) {
      this.counts.malformed++;
      this.lastError = error.message;
      return null;
    }
    if (update.session === this.session && update.seq <= this.seq) {
      this.counts.stale++;
      return null;
    }
    this.session = update.session;
    this.seq = update.seq;
    this.counts.accepted++;
    return update;
  }
}
