// Which export to show (?export=<relative path>, else the default) and
// loading its manifest with errors that name the file.
import { validateManifest } from "./manifest.js";
import { displayPath } from "./snapshot-store.js";

export const DEFAULT_EXPORT = "exports/mlp_weights.json";

/**
 * The manifest URL for the page's query string (?export=…, else the default).
 * A bad path throws: the page reports it in its error banner.
 */
export function resolveExportUrl(search, pageUrl) {
  const requested = new URLSearchParams(search).get("export");
  if (requested === null || requested === "") return new URL(DEFAULT_EXPORT, pageUrl).href;
  return exportPathUrl(requested, pageUrl, "?export");
}

/**
 * The absolute URL of a requested manifest path (from ?export= or a shared link's
 * #export=). Only same-site relative paths are accepted: anything with a scheme, a host,
 * a leading slash or a backslash is refused, so a link cannot make the page load
 * someone else's files. `name` labels the refusal ("?export" or "#export").
 */
export function exportPathUrl(requested, pageUrl, name) {
  const refuse = (why) => {
    throw new Error(`${name}=${requested} was refused: ${why}`);
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(requested) || requested.startsWith("//")) refuse("only relative paths on this site are allowed");
  if (requested.startsWith("/") || requested.includes("\\")) refuse("use a path relative to this page, like exports/other.json");
  if (!requested.endsWith(".json")) refuse("the manifest is a .json file");
  const url = new URL(requested, pageUrl);
  if (url.origin !== new URL(pageUrl).origin) refuse("only relative paths on this site are allowed");
  return url.href;
}

/** Fetch, parse and validate the manifest; every failure is "path: problem". */
export async function loadManifest(url, fetchImpl = globalThis.fetch.bind(globalThis)) {
  const path = displayPath(url);
  let text;
  try {
    const response = await fetchImpl(url, { cache: "no-cache" });
    if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
    text = await response.text();
  } catch (error) {
    throw new Error(`${path}: could not be loaded (${error.message})`);
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${error.message})`);
  }
  try {
    return validateManifest(json, url);
  } catch (error) {
    throw new Error(`${path}: ${error.message}`);
  }
}
