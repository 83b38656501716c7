// The <link> lines index.html needs so the browser fetches the whole first frame in one
// round trip: a modulepreload for every module the page's bundle (assets/bundle/main.js,
// built from assets/js/ by scripts/build-page.mjs) reaches through static imports
// (three.js through the import map), and a fetch preload for the default
// manifest and the snapshot it shows first (its last), named as the committed manifest
// names them. preload-links.test.mjs compares them with index.html; after a re-export
// or a new import, `node tests/js/preload-links.mjs` prints the block to paste.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { importMapOf } from "../../scripts/import-map.mjs";
import { DEFAULT_IMPORT_MAP, staticImportGraph } from "./import-graph.mjs";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ENTRY = "assets/bundle/main.js";
export const DEFAULT_EXPORT = "exports/mlp_weights.json";

/** The modules to preload (the entry itself is the page's module script) and the export files. */
export function expectedPreloads(root = REPO) {
  const html = readFileSync(join(root, "index.html"), "utf8");
  const modules = staticImportGraph(root, ENTRY, { importMap: importMapOf(html) ?? DEFAULT_IMPORT_MAP }).filter((path) => path !== ENTRY);
  const manifest = JSON.parse(readFileSync(join(root, DEFAULT_EXPORT), "utf8"));
  // The page opens at the last snapshot; its file path is relative to the manifest's folder.
  const shown = `${dirname(DEFAULT_EXPORT)}/${manifest.timeline.at(-1).file}`;
  return { modules, fetches: [DEFAULT_EXPORT, shown] };
}

/** The preload links index.html declares: { modules, fetches } as hrefs in document order. */
export function declaredPreloads(html) {
  const modules = [];
  const fetches = [];
  for (const [tag] of html.matchAll(/<link\b[^>]*>/g)) {
    const attr = (name) => new RegExp(`\\s${name}(?:="([^"]*)")?`).exec(tag);
    const rel = attr("rel")?.[1];
    const href = attr("href")?.[1];
    if (rel === "modulepreload") modules.push(href);
    // Only a preload fetched the way fetchFile fetches (cors, same-origin credentials) is reused.
    else if (rel === "preload" && attr("as")?.[1] === "fetch" && attr("crossorigin")) fetches.push(href);
    else if (rel === "preload") fetches.push(`${href} (not as="fetch" crossorigin: the page's fetch will not reuse it)`);
  }
  return { modules, fetches };
}

/** The block of <link> lines for index.html's head. */
export function linkBlock({ modules, fetches }) {
  return [
    ...fetches.map((href) => `  <link rel="preload" href="${href}" as="fetch" crossorigin>`),
    ...modules.map((href) => `  <link rel="modulepreload" href="${href}">`),
  ].join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(linkBlock(expectedPreloads()));
