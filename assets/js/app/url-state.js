// The shareable view state in the URL hash: which export, which snapshot, the drawing,
// the camera, the selected neuron, the step of the guided tour and the language. DOM-free; decoding never throws: every bad value
// is dropped with a sentence for the person who opened the link.
//
//   #export=exports/mlp_weights.json&snapshot=ep3&drawing=4AAAA…&camera=1.2,0,9,0,0,0&neuron=1.17&tour=3
//
// tour: the open tour's step, counted from 1 as the dialog shows it.
// lang: the language shown (a code of i18n's LANGUAGES); ?lang= wins over it.
// kiosk: a bare key (#kiosk): the page runs as a museum kiosk (as ?kiosk does).
//
// drawing: the model's input pixels (rows × columns of manifest.model.input.shape,
// row-major, 0..1) as base64url after a one-letter scheme:
//   "4" = 4-bit levels (k / 15), two pixels per byte — chosen when it is lossless;
//   "8" = 8-bit levels (k / 255), one pixel per byte — everything else (rounded).
// Before base64 the bytes are zero-run-length coded (a 0 byte is followed by the run
// length − 1): a digit leaves most of the pad blank, so links shrink about threefold.

import { sameSiteUrl } from "../data/fetch-file.js";
import { LANGUAGES, t } from "../i18n/i18n.js";
import { TOUR_STEPS } from "../model/tour-steps.js";

// A drawing read before the export is known keeps the length its data spells, up to this
// bound (256×256, far beyond any input this page supports); checkUrlStateAgainstManifest then
// drops one that does not fit the model's input.
const MAX_DRAWING_PIXELS = 256 * 256;
const CAMERA_DECIMALS = 2;
const CAMERA_LIMIT = 1e4;
const KEYS = ["export", "snapshot", "drawing", "camera", "neuron", "tour", "lang", "kiosk"];

/**
 * @param {{export?: string, snapshot?: string, drawing?: ArrayLike<number>|null,
 *          camera?: {position: number[], target: number[]}|null,
 *          selected?: {layer: number, index: number}|null, tour?: number|null, lang?: string, kiosk?: boolean}} state
 *   tour: the open tour's step, from 1; lang: the language shown; kiosk: kiosk mode
 * @returns {string} the hash, starting with "#" (just "#" when there is nothing to share)
 */
export function encodeUrlState(state) {
  const parts = [];
  if (state.export) parts.push(["export", state.export]);
  if (state.snapshot) parts.push(["snapshot", state.snapshot]);
  if (state.drawing) parts.push(["drawing", encodeDrawing(state.drawing)]);
  if (state.camera) parts.push(["camera", encodeCamera(state.camera)]);
  if (state.selected) parts.push(["neuron", `${state.selected.layer}.${state.selected.index}`]);
  if (state.tour) parts.push(["tour", String(state.tour)]);
  if (state.lang) parts.push(["lang", state.lang]);
  if (state.kiosk) parts.push(["kiosk", null]);
  // encodeURIComponent keeps base64url and numbers as they are; "/" and "," are legal in
  // a fragment, so they stay readable.
  const escapeValue = (value) => encodeURIComponent(value).replaceAll("%2F", "/").replaceAll("%2C", ",");
  return `#${parts.map(([key, value]) => (value === null ? key : `${key}=${escapeValue(value)}`)).join("&")}`;
}

/**
 * @param {string} hash location.hash (with or without the leading "#")
 * @param {{drawingLength?: number}} [input] the model's input pixel count, when known: a
 *   drawing of any other length is dropped here. Without it (the page reads the link before
 *   its export) the drawing keeps the length its data spells and checkUrlStateAgainstManifest
 *   checks it.
 * @returns {{state: {export?: string, snapshot?: string, drawing?: Float32Array,
 *            camera?: {position: number[], target: number[]}, selected?: {layer: number, index: number}},
 *            notices: string[]}}
 */
export function decodeUrlState(hash, { drawingLength } = {}) {
  const state = {};
  const notices = [];
  const text = String(hash ?? "").replace(/^#/, "");
  if (!text) return { state, notices };

  const params = new URLSearchParams(text);
  const seen = new Set();
  for (const [key, value] of params) {
    if (!KEYS.includes(key)) {
      notices.push(t("link.unknownKey", { key: truncate(key) }));
      continue;
    }
    if (seen.has(key)) {
      notices.push(t("link.twice", { key }));
      continue;
    }
    const parsed = PARSERS[key](value, drawingLength);
    if (parsed.error) {
      notices.push(parsed.error);
    } else {
      seen.add(key);
      state[key === "neuron" ? "selected" : key] = parsed.value;
    }
  }
  return { state, notices };
}

/**
 * Second check, once the export is loaded: drops a snapshot id the export does not have,
 * a drawing that is not the model's input size and a neuron outside the network.
 * Returns a new state; never throws.
 * @param {object} state from decodeUrlState
 * @param {{timeline: {id: string}[], model: {layer_sizes: number[]}}} manifest
 */
export function checkUrlStateAgainstManifest(state, manifest) {
  const checked = { ...state };
  const notices = [];
  if (checked.snapshot !== undefined && !manifest.timeline.some((entry) => entry.id === checked.snapshot)) {
    notices.push(t("link.noSnapshot", { snapshot: checked.snapshot }));
    delete checked.snapshot;
  }
  if (checked.drawing !== undefined && checked.drawing.length !== manifest.model.layer_sizes[0]) {
    notices.push(t("link.drawing"));
    delete checked.drawing;
  }
  if (checked.selected !== undefined) {
    const sizes = manifest.model.layer_sizes;
    const { layer, index } = checked.selected;
    if (layer >= sizes.length || index >= sizes[layer]) {
      notices.push(t("link.noNeuron", { index, layer }));
      delete checked.selected;
    }
  }
  return { state: checked, notices };
}

function isSameSitePath(path) {
  try {
    sameSiteUrl(path, "https://page.invalid/");
    return true;
  } catch {
    return false;
  }
}

const PARSERS = {
  export(value) {
    // A short, plain path; the same-site rule itself is sameSiteUrl's, checked against a
    // stand-in page here (DOM-free) and against the real page when the export loads.
    const ok = /^[A-Za-z0-9._~\-/]{1,300}\.json$/.test(value) && isSameSitePath(value);
    return ok ? { value } : { error: t("link.export", { value: truncate(value) }) };
  },
  snapshot(value) {
    return /^[A-Za-z0-9_-]{1,40}$/.test(value) ? { value } : { error: t("link.snapshot", { value: truncate(value) }) };
  },
  drawing(value, length) {
    const drawing = decodeDrawing(value, length);
    return drawing ? { value: drawing } : { error: t("link.drawing") };
  },
  camera(value) {
    const numbers = value.split(",").map((part) => (/^-?\d+(\.\d+)?$/.test(part) ? Number(part) : NaN));
    if (numbers.length !== 6 || numbers.some((n) => !Number.isFinite(n) || Math.abs(n) > CAMERA_LIMIT)) {
      return { error: t("link.camera") };
    }
    return { value: { position: numbers.slice(0, 3), target: numbers.slice(3) } };
  },
  neuron(value) {
    const match = /^(\d{1,2})\.(\d{1,5})$/.exec(value);
    if (!match) {
      return { error: t("link.neuron", { value: truncate(value) }) };
    }
    return { value: { layer: Number(match[1]), index: Number(match[2]) } };
  },
  tour(value) {
    const step = /^\d{1,2}$/.test(value) ? Number(value) : 0;
    return step >= 1 && step <= TOUR_STEPS.length
      ? { value: step }
      : { error: t("link.tour", { value: truncate(value), count: TOUR_STEPS.length }) };
  },
  kiosk(value) {
    return value === "" || value === "1" ? { value: true } : { error: t("link.kiosk", { value: truncate(value) }) };
  },
  lang(value) {
    return Object.hasOwn(LANGUAGES, value)
      ? { value }
      : { error: t("link.lang", { value: truncate(value), languages: Object.keys(LANGUAGES).join(", ") }) };
  },
};

function encodeDrawing(pixels) {
  const count = pixels.length;
  if (count === 0) throw new Error("encodeUrlState: the drawing has no pixels");
  // Tolerance: k / 15 stored in a Float32Array is not exactly k / 15. Two pixels share a
  // byte, so an odd count of pixels always takes 8 bits.
  const lossless4Bit =
    count % 2 === 0 && Array.prototype.every.call(pixels, (p) => p >= 0 && p <= 1 && Math.abs(p * 15 - Math.round(p * 15)) < 1e-5);
  if (lossless4Bit) {
    const bytes = new Uint8Array(count / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.round(pixels[2 * i] * 15) << 4) | Math.round(pixels[2 * i + 1] * 15);
    return `4${toBase64Url(packZeroRuns(bytes))}`;
  }
  const bytes = new Uint8Array(count);
  for (let i = 0; i < count; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  return `8${toBase64Url(packZeroRuns(bytes))}`;
}

/** The drawing's pixels, or null when damaged or (given `length`) not `length` pixels long. */
function decodeDrawing(text, length) {
  const scheme = text[0];
  if (scheme !== "4" && scheme !== "8") return null;
  const perByte = scheme === "4" ? 2 : 1;
  const packed = fromBase64Url(text.slice(1));
  const bytes = packed && unpackZeroRuns(packed, length === undefined ? undefined : length / perByte, MAX_DRAWING_PIXELS / perByte);
  if (!bytes || bytes.length === 0) return null;
  const pixels = new Float32Array(bytes.length * perByte);
  if (scheme === "4") {
    for (let i = 0; i < bytes.length; i++) {
      pixels[2 * i] = (bytes[i] >> 4) / 15;
      pixels[2 * i + 1] = (bytes[i] & 15) / 15;
    }
  } else {
    for (let i = 0; i < bytes.length; i++) pixels[i] = bytes[i] / 255;
  }
  return pixels;
}

/** Zero-run-length coding: each run of 1–256 zero bytes becomes [0, run − 1]. */
function packZeroRuns(bytes) {
  const out = [];
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] !== 0) {
      out.push(bytes[i++]);
      continue;
    }
    let run = 0;
    while (i < bytes.length && bytes[i] === 0 && run < 256) {
      run++;
      i++;
    }
    out.push(0, run - 1);
  }
  return Uint8Array.from(out);
}

/**
 * Inverse of packZeroRuns; null unless it yields exactly `length` bytes (when given), or
 * (without it) between 1 and `limit` bytes.
 */
function unpackZeroRuns(packed, length, limit) {
  let total = 0;
  for (let i = 0; i < packed.length; i++) {
    if (packed[i] === 0) {
      if (i + 1 >= packed.length) return null; // a run marker without its length
      total += packed[++i] + 1;
    } else {
      total++;
    }
  }
  if (length === undefined ? total > limit : total !== length) return null;
  const bytes = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < packed.length; i++) {
    if (packed[i] !== 0) bytes[at++] = packed[i];
    else at += packed[++i] + 1; // the bytes are already zero
  }
  return bytes;
}

function encodeCamera({ position, target }) {
  const round = (n) => Number(n.toFixed(CAMERA_DECIMALS)) || 0; // "|| 0" turns -0 into 0
  return [...position, ...target].map(round).join(",");
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

function toBase64Url(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const chunk = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) text += ALPHABET[(chunk >> (18 - 6 * c)) & 63];
  }
  return text;
}

/** null when `text` is not canonical unpadded base64url (so damaged links are caught). */
function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let buffer = 0;
  let out = 0;
  for (const char of text) {
    buffer = (buffer << 6) | ALPHABET.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (buffer >> bits) & 255;
    }
  }
  if ((buffer & ((1 << bits) - 1)) !== 0) return null; // leftover bits must be zero
  return bytes;
}

function truncate(text) {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
