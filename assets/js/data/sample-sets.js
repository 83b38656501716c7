// The export's two sets of real test digits: probe.safetensors (the 0–9 buttons and the
// latent map) and gallery.safetensors (the mistakes). Each file is downloaded once, on
// first use, and shared by every part of the page through one cache.

import { readSampleSet } from "./export-files.js";
import { displayPath, fetchFile, inFile } from "./fetch-file.js";
import { routedFetch } from "./local-files.js";
import { LIMITS } from "./manifest.js";

const cache = new Map();

/**
 * Fetch and check a probe/gallery file once (export-files.js: readSampleSet); later calls
 * for the same URL share the promise. Errors read "path: problem".
 * @param {{url: string, bytes?: number, sha256?: string}} entry `manifest.probe` or `manifest.gallery`
 * @param {object} manifest the validated manifest (the images must have its model's input shape)
 */
export function loadSampleSet(entry, manifest, fetchImpl = routedFetch) {
  const key = entry.url;
  if (!cache.has(key)) {
    const promise = download(entry, manifest, fetchImpl);
    // A failed download may succeed later (flaky network): do not cache the failure.
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

async function download(entry, manifest, fetchImpl) {
  const buffer = await fetchFile(entry.url, { fetch: fetchImpl, maxBytes: LIMITS.fileBytes });
  return inFile(displayPath(entry.url), () => readSampleSet(buffer, entry, manifest));
}
