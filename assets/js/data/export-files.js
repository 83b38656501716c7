// Checking the bytes of an export's files against their manifest, with no fetching and no
// DOM: the page uses these after a download, deploy's check (scripts/check-exports.mjs)
// runs the very same functions under Node on a release, so the two never disagree.
// Every problem throws an Error saying what is wrong; callers prefix the file's path.
import { Network } from "../model/network.js";
import { pixelsFromBytes } from "../model/preprocess.js";
import { snapshotShapes } from "./manifest.js";
import { DataError } from "./messages.js";
import { parseSafetensors } from "./safetensors.js";

/** The lowercase hex SHA-256 of a buffer (Web Crypto: browsers and Node alike). */
export async function sha256Hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether this runtime can hash: Web Crypto exists in Node and in browsers on secure
 * origins (http://localhost too), but not on a plain-http LAN address, where the page
 * still works and checks everything else.
 */
export const CAN_HASH = Boolean(globalThis.crypto?.subtle);

/** The size and sha256 the manifest lists for a file (each when listed). */
async function checkBytes(buffer, entry, verifyHash) {
  if (entry.bytes !== undefined && buffer.byteLength !== entry.bytes) {
    const key = buffer.byteLength < entry.bytes ? "data.truncated" : "data.wrongSize";
    throw new DataError(key, { bytes: buffer.byteLength, listed: entry.bytes });
  }
  if (verifyHash && entry.sha256 && (await sha256Hex(buffer)) !== entry.sha256) {
    throw new DataError("data.hashMismatch");
  }
}

/** Exactly the tensors `shapes` names (Map name → shape), of `dtype`, every value finite. */
function checkTensorSet(tensors, shapes, dtype) {
  for (const name of tensors.keys()) {
    if (!shapes.has(name)) throw new DataError("data.unexpectedTensor", { name });
  }
  for (const [name, shape] of shapes) {
    const tensor = tensors.get(name);
    if (!tensor) throw new DataError("data.tensorMissing", { name });
    if (tensor.dtype !== dtype) throw new DataError("data.tensorDtypeWrong", { name, dtype: tensor.dtype, needed: dtype });
    if (tensor.shape.length !== shape.length || tensor.shape.some((n, i) => n !== shape[i])) {
      throw new DataError("data.shapeMismatch", { name, shape: JSON.stringify(tensor.shape), needed: JSON.stringify(shape) });
    }
    const data = tensor.data;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new DataError("data.notFinite", { name, value: String(data[i]) });
    }
  }
}

/**
 * A snapshot file checked against its timeline entry and the manifest's model: size, sha256,
 * the safetensors encoding, exactly the tensors the model implies, finite values.
 * @returns {Promise<{metadata: object, tensors: Map, network: Network}>}
 */
export async function readSnapshot(buffer, entry, manifest, { verifyHash = CAN_HASH } = {}) {
  await checkBytes(buffer, entry, verifyHash);
  const { metadata, tensors } = parseSafetensors(buffer);
  checkTensorSet(tensors, snapshotShapes(manifest), manifest.model.tensor_dtype ?? "F16");
  return { metadata, tensors, network: new Network(manifest.model.layers, tensors) };
}

/**
 * A decoded probe or gallery file.
 * images: Uint8Array [count, rows, columns] (0 = paper, 255 = ink), labels: Uint8Array [count],
 * testIndices: Int32Array [count] (index in the MNIST test set), shape: [rows, columns]
 * of one image (the images tensor's shape without its count).
 */
export class SampleSet {
  constructor({ images, labels, testIndices, shape }) {
    this.count = labels.length;
    this.images = images;
    this.labels = labels;
    this.testIndices = testIndices;
    this.shape = shape;
    this.pixelCount = shape[0] * shape[1];
  }

  /** Digit `i` as the network's input pixels: Float32Array(rows × columns), 0..1. */
  pixels(i) {
    return pixelsFromBytes(this.image(i), 255);
  }

  /** Digit `i`'s raw bytes (a view, not a copy). */
  image(i) {
    return this.images.subarray(i * this.pixelCount, (i + 1) * this.pixelCount);
  }
}

/**
 * A probe or gallery file's tensors checked: exactly images (U8 [n, rows, columns], the
 * model's input shape), labels (U8 [n], one of the classes) and test_indices (I32 [n], ≥ 0).
 */
export function sampleSetFromTensors(tensors, inputShape, classes = 10) {
  for (const name of tensors.keys()) {
    if (!["images", "labels", "test_indices"].includes(name)) throw new DataError("data.unexpectedSampleTensor", { name });
  }
  const images = tensors.get("images");
  const labels = tensors.get("labels");
  const testIndices = tensors.get("test_indices");
  if (!images || !labels || !testIndices) throw new DataError("data.sampleTensors");
  const count = labels.shape[0];
  const expected = [count, ...inputShape];
  if (images.dtype !== "U8" || JSON.stringify(images.shape) !== JSON.stringify(expected)) {
    throw new DataError("data.imagesShape", { expected: expected.join(", "), dtype: images.dtype, shape: JSON.stringify(images.shape) });
  }
  if (
    labels.dtype !== "U8" ||
    labels.shape.length !== 1 ||
    testIndices.dtype !== "I32" ||
    JSON.stringify(testIndices.shape) !== `[${count}]`
  ) {
    throw new DataError("data.labelsShape", { count: String(count) });
  }
  const badLabel = labels.data.findIndex((label) => label >= classes);
  if (badLabel >= 0)
    throw new DataError("data.badLabel", { index: String(badLabel), value: String(labels.data[badLabel]), last: classes - 1 });
  const badIndex = testIndices.data.findIndex((index) => index < 0);
  if (badIndex >= 0) throw new DataError("data.badTestIndex", { index: String(badIndex), value: String(testIndices.data[badIndex]) });
  return new SampleSet({ images: images.data, labels: labels.data, testIndices: testIndices.data, shape: images.shape.slice(1) });
}

/**
 * A probe or gallery file checked against its manifest entry (size, sha256, count) and the
 * model (input shape, classes).
 */
export async function readSampleSet(buffer, entry, manifest, { verifyHash = CAN_HASH } = {}) {
  await checkBytes(buffer, entry, verifyHash);
  const set = sampleSetFromTensors(parseSafetensors(buffer).tensors, manifest.model.input.shape, manifest.model.class_names.length);
  if (entry.count !== undefined && set.count !== entry.count)
    throw new DataError("data.sampleCountMismatch", { count: set.count, listed: entry.count });
  return set;
}
