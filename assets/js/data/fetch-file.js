// One way to fetch a file of an export, used for the manifest, the snapshots and the
// sample sets: HTTP failures carry their status text, every error names the file as
// people know it ("exports/mlp_weights/003_img120.safetensors: …"), and an abort
// passes through untouched so superseded downloads stay quiet.

import { routedFetch } from "./local-files.js";
import { DataError, english } from "./messages.js";

/** The file's path as people know it, from its absolute URL. */
export function displayPath(url) {
  const path = new URL(url).pathname.replace(/^\//, "");
  try {
    return decodeURIComponent(path);
  } catch {
    return path; // a malformed escape: show it as written
  }
}

/** How long a file may take to arrive before the page says so (and offers to retry). */
export const FETCH_TIMEOUT_MS = 30_000;

/**
 * Fetch `url` and read its body as `as` ("arrayBuffer" or "text"), refusing more than
 * `maxBytes` and giving up after `timeoutMs`. Rejects with "path: could not be loaded
 * (HTTP 404 File not found)", "path: did not arrive within 30 s …" and the like; an abort
 * from `signal` passes through as an AbortError.
 */
export async function fetchFile(
  url,
  { as = "arrayBuffer", signal, cache, maxBytes = Number.POSITIVE_INFINITY, timeoutMs = FETCH_TIMEOUT_MS, fetch = routedFetch } = {},
) {
  const path = displayPath(url);
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal, cache });
    if (!response.ok) {
      const { status, statusText } = response;
      throw statusText ? new DataError("data.httpText", { status, text: english(statusText) }) : new DataError("data.http", { status });
    }
    const declared = Number(response.headers?.get?.("content-length"));
    if (declared > maxBytes) throw new TooLarge(declared, maxBytes);
    const body = await readCapped(response, maxBytes, as);
    return as === "text" && typeof body !== "string" ? new TextDecoder().decode(body) : body;
  } catch (error) {
    if (error instanceof TooLarge) throw new DataError("data.inFile", { path, problem: error });
    if (timeout.signal.aborted && !signal?.aborted) {
      throw new DataError("data.timeout", { path, seconds: Math.round(timeoutMs / 1000) });
    }
    if (error.name === "AbortError") throw error;
    throw new DataError("data.notLoaded", { path, problem: error });
  } finally {
    clearTimeout(timer);
  }
}

class TooLarge extends DataError {
  constructor(bytes, maxBytes) {
    super("data.tooLarge", { bytes, limit: maxBytes });
  }
}

/** The body, read in chunks (as an ArrayBuffer) so an endless or huge answer stops at maxBytes. */
async function readCapped(response, maxBytes, as) {
  if (!Number.isFinite(maxBytes) || !response.body?.getReader) {
    const body = await response[as]();
    const size = typeof body === "string" ? body.length : body.byteLength;
    if (size > maxBytes) throw new TooLarge(size, maxBytes);
    return body;
  }
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.cancel();
      throw new TooLarge(total, maxBytes);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}

/** Runs `read()` (sync or async); an error it throws is prefixed with the file's path (once). */
export function inFile(path, read) {
  const prefix = (error) => {
    throw error.message.startsWith(`${path}:`) ? error : new DataError("data.inFile", { path, problem: error });
  };
  try {
    const result = read();
    return result instanceof Promise ? result.catch(prefix) : result;
  } catch (error) {
    return prefix(error);
  }
}

/**
 * The absolute URL of `path` resolved against `baseUrl`, if `path` is a same-site relative
 * path: no scheme, no host ("//…"), no leading "/", no backslash, no "?" or "#", and it
 * stays on baseUrl's origin — and inside the folder `within` when given (a manifest's files
 * stay in its folder). Anything else throws, so neither a link nor a manifest can make the
 * page fetch someone else's files. The one rule for ?export=, #export= and manifest paths;
 * deploy's check runs this same module.
 */
export function sameSiteUrl(path, baseUrl, { within } = {}) {
  if (typeof path !== "string" || path === "") throw new DataError("data.pathEmpty");
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) throw new DataError("data.pathForeign");
  if (path.startsWith("/") || path.includes("\\")) throw new DataError("data.pathAbsolute");
  if (/[?#]/.test(path)) throw new DataError("data.pathQuery");
  if (/%(?![0-9a-f]{2})/i.test(path)) throw new DataError("data.pathPercent");
  const url = new URL(path, baseUrl);
  if (url.origin !== new URL(baseUrl).origin) throw new DataError("data.pathForeign");
  if (within !== undefined && !url.href.startsWith(within)) throw new DataError("data.pathLeaves");
  return url.href;
}
