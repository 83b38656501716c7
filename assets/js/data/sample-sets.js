// The export's two sets of real test digits: probe.safetensors (the 0–9 buttons and the
// latent map) and gallery.safetensors (the mistakes). Each file is downloaded once, on
// first use, and shared by every part of the page through one cache.
import { parseSafetensors } from "./safetensors.js";
import { pixelsFromBytes } from "../model/preprocess.js";
import { displayPath, fetchFile, inFile } from "./fetch-file.js";

const cache = new Map();

/**
 * A decoded probe or gallery file.
 * images: Uint8Array [count, 28, 28] (0 = paper, 255 = ink), labels: Uint8Array [count],
 * testIndices: Int32Array [count] (index in the MNIST test set).
 */
export class SampleSet {
  constructor({ images, labels, testIndices }) {
    this.count = labels.length;
    this.images = images;
    this.labels = labels;
    this.testIndices = testIndices;
  }

  /** Digit `i` as the draw pad's pixels: Float32Array(784), 0..1. */
  pixels(i) {
    return pixelsFromBytes(this.image(i), 255);
  }

  /** Digit `i`'s raw bytes (a view, not a copy). */
  image(i) {
    return this.images.subarray(i * 784, (i + 1) * 784);
  }
}

/** Decode a parsed probe/gallery file, checking the tensors the format promises. */
export function sampleSetFromTensors(tensors) {
  const images = tensors.get("images");
  const labels = tensors.get("labels");
  const testIndices = tensors.get("test_indices");
  if (!images || !labels || !testIndices) {
    throw new Error(`needs the tensors images, labels and test_indices`);
  }
  const count = labels.shape[0];
  if (images.dtype !== "U8" || JSON.stringify(images.shape) !== JSON.stringify([count, 28, 28])) {
    throw new Error(`images must be U8 [${count}, 28, 28], got ${images.dtype} ${JSON.stringify(images.shape)}`);
  }
  if (labels.dtype !== "U8" || testIndices.dtype !== "I32" || testIndices.shape[0] !== count) {
    throw new Error(`labels must be U8 [${count}] and test_indices I32 [${count}]`);
  }
  return new SampleSet({ images: images.data, labels: labels.data, testIndices: testIndices.data });
}

/**
 * Fetch and decode a probe/gallery file once; later calls for the same URL share the promise.
 * Errors read "path: problem".
 * @param {{url: string, bytes?: number}} entry `manifest.probe` or `manifest.gallery` (validateManifest adds url)
 */
export function loadSampleSet(entry, fetchImpl = globalThis.fetch.bind(globalThis)) {
  if (!cache.has(entry.url)) {
    const promise = download(entry, fetchImpl);
    // A failed download may succeed later (flaky network): do not cache the failure.
    promise.catch(() => cache.delete(entry.url));
    cache.set(entry.url, promise);
  }
  return cache.get(entry.url);
}

async function download({ url, bytes }, fetchImpl) {
  const buffer = await fetchFile(url, { fetch: fetchImpl });
  return inFile(displayPath(url), () => {
    if (bytes !== undefined && buffer.byteLength !== bytes) {
      throw new Error(`${buffer.byteLength} bytes, the manifest says ${bytes} (truncated or replaced file)`);
    }
    return sampleSetFromTensors(parseSafetensors(buffer).tensors);
  });
}
