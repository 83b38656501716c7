// The export's two sets of test digits (probe.safetensors for the latent map,
// gallery.safetensors for the mistakes), fetched once per URL and shared by every view.
import { parseSafetensors } from "../safetensors.js";
import { pixelsFromBytes } from "../preprocess.js";

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
export function sampleSetFromTensors(tensors, name) {
  const images = tensors.get("images");
  const labels = tensors.get("labels");
  const testIndices = tensors.get("test_indices");
  if (!images || !labels || !testIndices) {
    throw new Error(`${name}: needs the tensors images, labels and test_indices`);
  }
  const count = labels.shape[0];
  if (images.dtype !== "U8" || JSON.stringify(images.shape) !== JSON.stringify([count, 28, 28])) {
    throw new Error(`${name}: images must be U8 [${count}, 28, 28], got ${images.dtype} ${JSON.stringify(images.shape)}`);
  }
  if (labels.dtype !== "U8" || testIndices.dtype !== "I32" || testIndices.shape[0] !== count) {
    throw new Error(`${name}: labels must be U8 [${count}] and test_indices I32 [${count}]`);
  }
  return new SampleSet({ images: images.data, labels: labels.data, testIndices: testIndices.data });
}

/**
 * Fetch and decode a probe/gallery file once; later calls with the same URL share the promise.
 * @param {string} url absolute URL (validateManifest gives `manifest.probe.url` / `manifest.gallery.url`)
 */
export function loadSampleSet(url, fetchImpl = fetch) {
  if (!cache.has(url)) {
    const promise = fetchImpl(url)
      .then((response) => {
        if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
        return response.arrayBuffer();
      })
      .then((buffer) => sampleSetFromTensors(parseSafetensors(buffer).tensors, url));
    // A failed download may succeed later (flaky network): do not cache the failure.
    promise.catch(() => cache.delete(url));
    cache.set(url, promise);
  }
  return cache.get(url);
}
