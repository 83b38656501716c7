// Copies Three.js's ES module build and the addons the page imports from
// node_modules into assets/vendor/three/ (committed; the page has no build step).
// Each file is minified on the way: http.server sends no compression, and the
// unminified build alone would blow the page's 1.5 MB first-prediction budget.
// Import specifiers and export names are kept, so the importmap in index.html
// resolves "three" and "three/addons/" exactly as with the original files.
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { writeAtomically } from "./write-atomically.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const THREE = join(REPO, "node_modules", "three");
const TARGET = join(REPO, "assets", "vendor", "three");

const FILES = [
  ["build/three.core.js", "three.core.js"],
  ["build/three.module.js", "three.module.js"],
  ["examples/jsm/controls/OrbitControls.js", "addons/controls/OrbitControls.js"],
];

async function main() {
  const { version } = JSON.parse(await readFile(join(THREE, "package.json"), "utf8"));
  await rm(TARGET, { recursive: true, force: true });
  for (const [source, target] of FILES) {
    const code = await readFile(join(THREE, source), "utf8");
    const { code: minified } = await transform(code, { minify: true, format: "esm", legalComments: "inline", target: "es2020" });
    await writeAtomically(join(TARGET, target), `// three@${version} ${source}, minified by scripts/vendor-three.mjs\n${minified}`);
  }
  await writeAtomically(join(TARGET, "LICENSE"), await readFile(join(THREE, "LICENSE"), "utf8"));
  console.log(`vendored three@${version} into ${TARGET}`);
}

main().catch((error) => {
  console.error(`vendor-three: ${error.message}`);
  process.exit(1);
});
