// Exports opened from the local disk (dropped onto the page or picked in a file dialog), served
// to the page's loaders behind the same fetch interface as the server's files. Each opening
// gets its own origin under the reserved .invalid domain (never resolved, never sent anywhere)
// holding the files at their paths relative to what was picked or dropped; fetchFile, and with
// it the manifest's checks, the size caps, the path rules (a manifest's files stay in its
// folder) and the error messages, are exactly the HTTP path's.

import { DataError } from "./messages.js";

const HOST = "local.invalid";
const LOCAL_PREFIX = "local:";
const sources = new Map(); // origin → { files: Map(path → Blob), flat: no file came with a folder }
let openings = 0;

/** Whether an export path names a local export (they cannot go into a link). */
export const isLocalExport = (exportPath) => String(exportPath).startsWith(LOCAL_PREFIX);

/**
 * Register the files of one opening ([{ path, file }]: `path` relative to the picked or dropped
 * folder, "/"-separated, or a bare file name) and find the manifest: the one .json file nearest
 * the top. Returns { url, exportPath }: the manifest's URL for the loaders and its name for
 * people ("local:my-export/cnn_weights.json"). Throws when there is no manifest, or several.
 */
export function openLocalFiles(entries) {
  const files = new Map(entries.map(({ path, file }) => [path.replace(/^\/+/, ""), file]));
  const depth = (path) => path.split("/").length;
  const manifests = [...files.keys()].filter((path) => path.toLowerCase().endsWith(".json"));
  const top = Math.min(...manifests.map(depth));
  const candidates = manifests.filter((path) => depth(path) === top).sort();
  if (candidates.length === 0) throw new DataError("data.noManifest");
  if (candidates.length > 1) {
    throw new DataError("data.manyManifests", { count: candidates.length, names: candidates.join(", ") });
  }
  const origin = `https://export-${++openings}.${HOST}`;
  sources.set(origin, { files, flat: [...files.keys()].every((path) => !path.includes("/")) });
  const url = new URL(candidates[0].split("/").map(encodeURIComponent).join("/"), `${origin}/`).href;
  return { url, exportPath: `${LOCAL_PREFIX}${candidates[0]}` };
}

/**
 * fetch() for every file the page loads: a local export's URL is answered from its files (a
 * missing one as HTTP 404, as a server would), any other goes to the network.
 */
export function routedFetch(url, init = {}) {
  const { origin, pathname } = new URL(url);
  const source = sources.get(origin);
  if (!source) return globalThis.fetch(url, init);
  if (init.signal?.aborted) return Promise.reject(init.signal.reason);
  const path = decodeURIComponent(pathname.slice(1));
  // Files picked one by one carry no folder: the manifest's paths are then matched by name.
  const file = source.files.get(path) ?? (source.flat ? source.files.get(path.split("/").at(-1)) : undefined);
  if (!file) return Promise.resolve(new Response(null, { status: 404, statusText: "not among the opened files" }));
  return Promise.resolve(new Response(file, { headers: { "content-length": String(file.size) } }));
}
