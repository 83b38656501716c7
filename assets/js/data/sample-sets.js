// The export's two sets of real test digits: probe.safetensors (the 0–9 buttons and the
// latent map) and gallery.safetensors (the mistakes). Each file is downloaded once, on
// first use, and shared by every part of the page through one cache — and so is the same
// file under another export's folder (the MLP and the CNN ship one probe set).

import { CAN_HASH, readSampleSet } from "./export-files.js";
import { displayPath, fetchFile, inFile } from "./fetch-file.js";
import { routedFetch } from "./local-files.js";
import { LIMITS } from "./manifest.js";

const cache = new Map();

/**
 * Fetch and check a probe/gallery file once (export-files.js: readSampleSet); later calls
 * for the same file share the promise. Errors read "path: problem".
 * @param {{url: string, bytes?: number, sha256?: string}} entry `manifest.probe` or `manifest.gallery`
 * @param {object} manifest the validated manifest (the images must have its model's input shape)
 */
export function loadSampleSet(entry, manifest, fetchImpl = routedFetch, { verifyHash = CAN_HASH } = {}) {
  const key = cacheKey(entry, manifest, verifyHash);
  if (!cache.has(key)) {
    const promise = download(entry, manifest, fetchImpl, verifyHash);
    // A failed download may succeed later (flaky network): do not cache the failure.
    promise.catch(() => cache.delete(key));
    cache.set(key, promise);
  }
  return cache.get(key);
}

/**
 * A file whose sha256 this browser checks is known by its content: another export listing the
 * same hash, size and count for a model that reads it alike (input shape, classes) gets the
 * set already checked instead of a second download. Unchecked (no crypto.subtle outside
 * secure contexts), a listed hash proves nothing, so the URL is the key.
 */
function cacheKey(entry, manifest, verifyHash) {
  if (!verifyHash || !entry.sha256) return entry.url;
  const { input, class_names: classes } = manifest.model;
  return JSON.stringify([entry.sha256, entry.bytes, entry.count, input.shape, classes.length]);
}

async function download(entry, manifest, fetchImpl, verifyHash) {
  const buffer = await fetchFile(entry.url, { fetch: fetchImpl, maxBytes: LIMITS.fileBytes });
  return inFile(displayPath(entry.url), () => readSampleSet(buffer, entry, manifest, { verifyHash }));
}
