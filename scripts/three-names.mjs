// Which of Three.js's exports the page uses: `THREE.Name` and `import { Name } from "three"`
// in its own modules, and the named imports of the vendored addons. scripts/vendor-three.mjs
// bundles exactly these; tests/js/vendor-three.test.mjs checks the vendored file has them all.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

const NAMESPACE_USE = /\bTHREE\.([A-Za-z_$][\w$]*)/g;
const NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']three["']/g;

async function sourcesUnder(folder) {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith(".js")).map((entry) => join(entry.parentPath, entry.name));
}

/** The export names of "three" used by the JavaScript `sources` (their texts), sorted. */
export function threeNamesIn(sources) {
  const names = new Set();
  for (const source of sources) {
    for (const [, name] of source.matchAll(NAMESPACE_USE)) names.add(name);
    for (const [, list] of source.matchAll(NAMED_IMPORT)) {
      for (const item of list.split(",")) {
        const name = item.trim().split(/\s+as\s+/)[0];
        if (name) names.add(name);
      }
    }
  }
  return [...names].sort();
}

/** The names used by the page's modules under `pageFolder` and by the addon files `addons`. */
export async function threeNamesUsed(pageFolder, addons) {
  const files = [...(await sourcesUnder(pageFolder)), ...addons];
  return threeNamesIn(await Promise.all(files.map((file) => readFile(file, "utf8"))));
}
