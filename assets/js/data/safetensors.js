// Parser for the safetensors format (8-byte little-endian header length, JSON
// header, raw little-endian data). Errors name what is wrong so the page can
// show them next to the file name.
import { decodeFloat16 } from "./float16.js";
import { DataError } from "./messages.js";

const DTYPES = {
  F16: { bytes: 2, decode: (bytes) => decodeFloat16(bytes) },
  F32: { bytes: 4, decode: (bytes) => new Float32Array(bytes.slice().buffer) },
  U8: { bytes: 1, decode: (bytes) => bytes.slice() },
  I32: { bytes: 4, decode: (bytes) => new Int32Array(bytes.slice().buffer) },
};

// Headers are small JSON; anything above this is a corrupt length, not a header.
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

function readHeader(buffer) {
  if (buffer.byteLength < 8) {
    throw new DataError("data.headerMissing", { bytes: buffer.byteLength });
  }
  const length = new DataView(buffer).getBigUint64(0, true);
  if (length === 0n || length > BigInt(MAX_HEADER_BYTES)) {
    throw new DataError("data.headerLength", { length: String(length) });
  }
  if (8n + length > BigInt(buffer.byteLength)) {
    throw new DataError("data.headerTruncated", { length: Number(length), bytes: buffer.byteLength - 8 });
  }
  const text = new TextDecoder().decode(new Uint8Array(buffer, 8, Number(length)));
  let header;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new DataError("data.headerJson", { problem: error });
  }
  if (!header || typeof header !== "object" || Array.isArray(header)) {
    throw new DataError("data.headerObject");
  }
  return { header, dataStart: 8 + Number(length) };
}

function checkEntry(name, entry, dataBytes) {
  const { dtype, shape, data_offsets: offsets } = entry ?? {};
  const kind = DTYPES[dtype];
  if (!kind) throw new DataError("data.tensorDtypeUnknown", { name, value: String(JSON.stringify(dtype)) });
  if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)) {
    throw new DataError("data.tensorShapeInvalid", { name, value: String(JSON.stringify(shape)) });
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isInteger)) {
    throw new DataError("data.tensorOffsets", { name, value: String(JSON.stringify(offsets)) });
  }
  const [begin, end] = offsets;
  if (begin < 0 || end < begin || end > dataBytes) {
    throw new DataError("data.offsetsRange", { name, begin: String(begin), end: String(end), bytes: dataBytes });
  }
  const expected = shape.reduce((a, b) => a * b, 1) * kind.bytes;
  if (end - begin !== expected) {
    throw new DataError("data.tensorBytes", { name, bytes: end - begin, shape: JSON.stringify(shape), dtype, expected });
  }
  return kind;
}

/** Parse a safetensors file: { metadata, tensors: Map<name, {dtype, shape, data}> }. */
export function parseSafetensors(buffer) {
  if (!(buffer instanceof ArrayBuffer)) throw new TypeError("parseSafetensors expects an ArrayBuffer");
  const { header, dataStart } = readHeader(buffer);
  const dataBytes = buffer.byteLength - dataStart;
  const metadata = header.__metadata__ ?? {};
  const tensors = new Map();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const kind = checkEntry(name, entry, dataBytes);
    const [begin, end] = entry.data_offsets;
    const bytes = new Uint8Array(buffer, dataStart + begin, end - begin);
    tensors.set(name, { dtype: entry.dtype, shape: entry.shape, data: kind.decode(bytes) });
  }
  return { metadata, tensors };
}
