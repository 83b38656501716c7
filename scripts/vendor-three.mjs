// Vendors Three.js into assets/vendor/three/ (committed; the page has no build step):
// three.module.js is a bundle of only the exports the page and its addons use
// (scripts/three-names.mjs), minified, and the addons are minified copies that keep their
// `from "three"` imports. http.server sends no compression: the whole minified build
// (three.core.js + three.module.js, 773 kB) was half of the page's first-prediction bytes,
// the bundle of what is used is about 560 kB. The importmap in index.html resolves "three"
// and "three/addons/" exactly as with the original files.
// Re-run (npm install && npm run vendor) after the page starts using another Three.js name:
// tests/js/vendor-three.test.mjs fails until then.
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, transform } from "esbuild";
import { threeNamesUsed } from "./three-names.mjs";
import { writeAtomically } from "./write-atomically.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
const THREE = join(REPO, "node_modules", "three");
const TARGET = join(REPO, "assets", "vendor", "three");
const ADDONS = [["examples/jsm/controls/OrbitControls.js", "addons/controls/OrbitControls.js"]];
const OPTIONS = { minify: true, format: "esm", legalComments: "inline", target: "es2020" };

async function main() {
  const { version } = JSON.parse(await readFile(join(THREE, "package.json"), "utf8"));
  const names = await threeNamesUsed(
    join(REPO, "assets", "js"),
    ADDONS.map(([source]) => join(THREE, source)),
  );
  const bundle = await build({
    ...OPTIONS,
    stdin: { contents: `export { ${names.join(", ")} } from "three";`, resolveDir: REPO },
    bundle: true,
    write: false,
  });
  await rm(TARGET, { recursive: true, force: true });
  await writeAtomically(
    join(TARGET, "three.module.js"),
    `// three@${version}: the ${names.length} exports the page uses, bundled and minified by scripts/vendor-three.mjs\n${bundle.outputFiles[0].text}`,
  );
  for (const [source, target] of ADDONS) {
    const { code } = await transform(await readFile(join(THREE, source), "utf8"), OPTIONS);
    await writeAtomically(join(TARGET, target), `// three@${version} ${source}, minified by scripts/vendor-three.mjs\n${code}`);
  }
  await writeAtomically(join(TARGET, "LICENSE"), await readFile(join(THREE, "LICENSE"), "utf8"));
  console.log(`vendored three@${version} (${names.length} exports) into ${TARGET}`);
}

main().catch((error) => {
  console.error(`vendor-three: ${error.message}`);
  process.exit(1);
});
