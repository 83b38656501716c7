// Which export to show (?export=<relative path>, else the default) and
// loading its manifest with errors that name the file.

import { displayPath, fetchFile, inFile, sameSiteUrl } from "./fetch-file.js";
import { routedFetch } from "./local-files.js";
import { LIMITS, validateManifest } from "./manifest.js";
import { DataError } from "./messages.js";

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
 * #export=): a same-site relative path to a .json file (sameSiteUrl), else it throws.
 * `name` labels the refusal ("?export" or "#export").
 */
export function exportPathUrl(requested, pageUrl, name) {
  try {
    if (!String(requested).endsWith(".json")) throw new DataError("data.manifestJson");
    return sameSiteUrl(requested, pageUrl);
  } catch (error) {
    throw new DataError("data.refused", { name, requested: String(requested), problem: error });
  }
}

/** Fetch, parse and validate the manifest; every failure is "path: problem". */
export async function loadManifest(url, fetchImpl = routedFetch) {
  const text = await fetchFile(url, { as: "text", cache: "no-cache", fetch: fetchImpl, maxBytes: LIMITS.manifestBytes });
  return inFile(displayPath(url), () => {
    let json;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DataError("data.notJson", { problem: error });
    }
    return validateManifest(json, url);
  });
}
