// One way to fetch a file of an export, used for the manifest, the snapshots and the
// sample sets: HTTP failures carry their status text, every error names the file as
// people know it ("exports/mlp_weights/003_img120.safetensors: …"), and an abort
// passes through untouched so superseded downloads stay quiet.

/** The file's path as people know it, from its absolute URL. */
export function displayPath(url) {
  const parsed = new URL(url);
  return decodeURIComponent(parsed.pathname.replace(/^\//, ""));
}

/**
 * Fetch `url` and read its body as `as` ("arrayBuffer" or "text").
 * Rejects with "path: could not be loaded (HTTP 404 File not found)" and the like.
 */
export async function fetchFile(url, { as = "arrayBuffer", signal, cache, fetch = globalThis.fetch.bind(globalThis) } = {}) {
  try {
    const response = await fetch(url, { signal, cache });
    if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    return await response[as]();
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new Error(`${displayPath(url)}: could not be loaded (${error.message})`);
  }
}

/** Runs `read()`; an error it throws is prefixed with the file's path (once). */
export function inFile(path, read) {
  try {
    return read();
  } catch (error) {
    throw new Error(error.message.startsWith(`${path}:`) ? error.message : `${path}: ${error.message}`);
  }
}

/**
 * The absolute URL of `path` resolved against `baseUrl`, if `path` is a same-site relative
 * path: no scheme, no host ("//…"), no leading "/", no backslash, and it stays on
 * baseUrl's origin. Anything else throws, so neither a link nor a manifest can make the
 * page fetch someone else's files. The one rule for ?export=, #export= and manifest paths.
 */
export function sameSiteUrl(path, baseUrl) {
  if (typeof path !== "string" || path === "") throw new Error("the path is empty");
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith("//")) throw new Error("only relative paths on this site are allowed");
  if (path.startsWith("/") || path.includes("\\")) throw new Error("use a relative path, like exports/other.json");
  const url = new URL(path, baseUrl);
  if (url.origin !== new URL(baseUrl).origin) throw new Error("only relative paths on this site are allowed");
  return url.href;
}
