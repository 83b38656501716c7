// The export's two sets of real test digits: probe.safetensors (the 0–9 buttons and the
// latent map) and gallery.safetensors (the mistakes). Each file is downloaded once, on
// first use, and shared by every part of the page through one cache.

import { pixelsFromBytes } from "../model/preprocess.js";
import { displayPath, fetchFile, inFile } from "./fetch-file.js";
import { parseSafetensors } from "./safetensors.js";

const cache = new Map();

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
 * Decode a parsed probe/gallery file, checking the tensors the format promises.
 * @param {[number, number]} inputShape the model's input [rows, columns] (manifest.model.input.shape):
 *   every image must have it, since the images are fed to the network
 */
export function sampleSetFromTensors(tensors, inputShape) {
  const images = tensors.get("images");
  const labels = tensors.get("labels");
  const testIndices = tensors.get("test_indices");
  if (!images || !labels || !testIndices) {
    throw new Error(`needs the tensors images, labels and test_indices`);
  }
  const count = labels.shape[0];
  const expected = [count, ...inputShape];
  if (images.dtype !== "U8" || JSON.stringify(images.shape) !== JSON.stringify(expected)) {
    throw new Error(`images must be U8 [${expected.join(", ")}], got ${images.dtype} ${JSON.stringify(images.shape)}`);
  }
  if (labels.dtype !== "U8" || testIndices.dtype !== "I32" || testIndices.shape[0] !== count) {
    throw new Error(`labels must be U8 [${count}] and test_indices I32 [${count}]`);
  }
  return new SampleSet({ images: images.data, labels: labels.data, testIndices: testIndices.data, shape: images.shape.slice(1) });
}

/**
 * Fetch and decode a probe/gallery file once; later calls for the same URL (and input shape)
 * share the promise. Errors read "path: problem".
 * @param {{url: string, bytes?: number}} entry `manifest.probe` or `manifest.gallery` (validateManifest adds url)
 * @param {[number, number]} inputShape manifest.model.input.shape, which the images must have
 */
export function loadSampleSet(entry, inputShape, fetchImpl = globalThis.fetch.bind(globalThis)) {
  const key = `${entry.url} ${inputShape.join("×")}`;
  if (!cache.has(key)) {
    const promise = download(entry, inputShape, fetchImpl);
    // A failed download may succeed later (flaky network): do not cache the failure.
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

async function download({ url, bytes }, inputShape, fetchImpl) {
  const buffer = await fetchFile(url, { fetch: fetchImpl });
  return inFile(displayPath(url), () => {
    if (bytes !== undefined && buffer.byteLength !== bytes) {
      throw new Error(`${buffer.byteLength} bytes, the manifest says ${bytes} (truncated or replaced file)`);
    }
    return sampleSetFromTensors(parseSafetensors(buffer).tensors, inputShape);
  });
}
