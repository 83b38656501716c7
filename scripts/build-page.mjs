// Builds the page's modules (assets/js/, the source) into one file, assets/bundle/main.js,
// which index.html loads: committed, so the page still needs no build to be served.
// Why: over HTTP/1.1 a browser opens six connections to a host, so the ~100 modules of
// assets/js cost ~17 round trips even when all are preloaded; one minified file costs
// one, and is half the bytes. Three.js and the QR encoder stay the vendored files the
// import map names. tests/js/page-bundle.test.mjs fails while the bundle is stale.
// Usage: npm run build (after changing anything under assets/js/).
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { importMapOf } from "./import-map.mjs";
import { writeAtomically } from "./write-atomically.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = "assets/js/main.js";
export const BUNDLE = "assets/bundle/main.js";
const HEADER = `// Built from assets/js/ by scripts/build-page.mjs (npm run build): edit the sources, not this file.\n`;

/** The bundle's text as the sources are now. */
export async function buildPage(repo = REPO) {
  const imports = importMapOf(await readFile(join(repo, "index.html"), "utf8")) ?? {};
  const result = await build({
    entryPoints: [join(repo, SOURCE)],
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    // Whatever the import map resolves stays an import of the vendored file.
    external: Object.keys(imports).map((specifier) => (specifier.endsWith("/") ? `${specifier}*` : specifier)),
    write: false,
    logLevel: "silent",
  });
  return HEADER + result.outputFiles[0].text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildPage()
    .then(async (text) => {
      await writeAtomically(join(REPO, BUNDLE), text);
      console.log(`built ${BUNDLE} from assets/js/ (${(text.length / 1e3).toFixed(0)} kB)`);
    })
    .catch((error) => {
      console.error(`build-page: ${error.message}`);
      process.exit(1);
    });
}
