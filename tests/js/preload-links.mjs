// What index.html's head declares so the browser fetches the whole first frame in one
// round trip: a modulepreload for every module the page's bundle (assets/bundle/main.js,
// built from assets/js/ by scripts/build-page.mjs) reaches through static imports
// (three.js through the import map), and the #export-preloads map its inline script reads
// to preload the export the address names: the page's default export and, per export the
// model switch offers, the snapshot it shows first (its last), as the committed manifest names it.
// preload-links.test.mjs compares them with index.html; after a re-export or a new
// import, `node tests/js/preload-links.mjs` prints the block to paste.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_EXPORT } from "../../assets/js/data/export-loader.js";
import { MODELS } from "../../assets/js/panels/model-switch.js";
import { importMapOf } from "../../scripts/import-map.mjs";
import { DEFAULT_IMPORT_MAP, staticImportGraph } from "./import-graph.mjs";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ENTRY = "assets/bundle/main.js";
const EXPORT_PRELOADS = /<script type="application\/json" id="export-preloads">(.*?)<\/script>/s;

/** The modules to preload (the entry itself is the page's module script) and the export map: { default, shown: { manifest: { id, file } } } (the snapshot shown first). */
export function expectedPreloads(root = REPO) {
  const html = readFileSync(join(root, "index.html"), "utf8");
  const modules = staticImportGraph(root, ENTRY, { importMap: importMapOf(html) ?? DEFAULT_IMPORT_MAP }).filter((path) => path !== ENTRY);
  const shown = {};
  for (const [path] of MODELS) {
    const manifest = JSON.parse(readFileSync(join(root, path), "utf8"));
    // The page opens at the last snapshot; its file path is relative to the manifest's folder.
    const last = manifest.timeline.at(-1);
    shown[path] = { id: last.id, file: `${dirname(path)}/${last.file}` };
  }
  return { modules, exports: { default: DEFAULT_EXPORT, shown } };
}

/**
 * What index.html declares: { modules, exports, fetches } — modulepreload hrefs in document
 * order, the #export-preloads map (null when absent) and any static fetch preload (the map
 * replaced them: a static one downloads the default's files whatever the address asks for).
 */
export function declaredPreloads(html) {
  const modules = [];
  const fetches = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const attr = (name) => new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(tag);
    const rel = attr("rel")?.[1];
    if (rel === "modulepreload") modules.push(attr("href")?.[1]);
    else if (rel === "preload") fetches.push(attr("href")?.[1]);
  }
  const map = EXPORT_PRELOADS.exec(html);
  return { modules, exports: map ? JSON.parse(map[1]) : null, fetches };
}

/** The block for index.html's head: the export map, then the modulepreload links. */
export function linkBlock({ modules, exports }) {
  return [
    `  <script type="application/json" id="export-preloads">${JSON.stringify(exports)}</script>`,
    ...modules.map((href) => `  <link rel="modulepreload" href="${href}">`),
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(linkBlock(expectedPreloads()));
