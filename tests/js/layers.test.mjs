// The page's layer rules, read from the import graph (see import-graph.mjs):
// only scene/ imports three.js, model/ and data/ never touch the DOM, imports
// point down the layers and every relative import resolves. The first tests
// prove on a throwaway tree that the checker fails; the last runs it on assets/js.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { checkLayers, formatViolations, parseModule } from "./import-graph.mjs";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const scratch = mkdtempSync(join(tmpdir(), "layers-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes {relative path: source} under a fresh folder and returns the checker's violations for it. */
function check(name, files) {
  const root = join(scratch, name);
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  return checkLayers(root);
}

/** The violations as "file:line rule", for exact comparisons. */
const brief = (violations) => violations.map((v) => `${v.file}:${v.line} ${v.rule}`);

const BAD_TREE = {
  "model/bad.js": [
    'import * as THREE from "three";',
    "",
    "export function paint() {",
    '  return document.createElement("canvas");',
    "}",
    "",
  ].join("\n"),
  "data/x.js": 'import { mesh } from "../scene/y.js";\nexport const x = mesh;\n',
  "scene/y.js": 'import * as THREE from "three";\nexport const mesh = new THREE.Mesh();\n',
};

test("the checker fails on a model/ module that imports three and touches document, and on data/ importing scene/", () => {
  const violations = check("bad", BAD_TREE);
  assert.deepEqual(brief(violations), [
    "data/x.js:1 data-imports-model-data",
    "data/x.js:1 no-scene-below",
    "model/bad.js:1 three-only-in-scene",
    "model/bad.js:4 no-dom",
  ]);
  const text = formatViolations(violations);
  assert.match(text, /^model\/bad\.js:1: \[three-only-in-scene\] imports "three": only scene\/ may import three\.js$/m);
  assert.match(text, /^model\/bad\.js:4: \[no-dom\] uses the browser global document: model\/ and data\/ never touch the DOM$/m);
  assert.match(text, /^data\/x\.js:1: \[no-scene-below\] imports "\.\.\/scene\/y\.js" \(scene\/y\.js\)/m);
});

test("the checker fails on stale paths, imports of app/ or main.js, upward imports and unreadable specifiers", () => {
  const violations = check("more", {
    "main.js": 'import { state } from "./app/state.js";\nimport "./panels/view.js";\n',
    "app/state.js": 'import { rows } from "./rows.js";\nexport const state = rows;\n',
    "app/rows.js": "export const rows = [];\n",
    "panels/view.js": [
      'import { state } from "../app/state.js";',
      'import { gone } from "./moved-away.js";',
      'export { y } from "../scene/y.js";',
      'const lazy = () => import("../main.js");',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a module under test
      "const any = (name) => import(`./${name}.js`);",
      'import { OrbitControls } from "three/addons/controls/OrbitControls.js";',
      'import "lil-gui";',
      'import "../../vendor/three/three.module.js";',
      "",
    ].join("\n"),
    "scene/y.js": "export const y = 1;\n",
    "model/math.js": 'import { loadManifest } from "../data/loader.js";\n',
    "data/loader.js": 'import { paint } from "../panels/view.js";\nexport const loadManifest = () => window.fetch("x");\n',
  });
  assert.deepEqual(brief(violations), [
    "data/loader.js:1 data-imports-model-data",
    "data/loader.js:2 no-dom",
    "model/math.js:1 model-imports-model",
    "panels/view.js:1 app-only-from-main",
    "panels/view.js:2 resolves",
    "panels/view.js:3 no-scene-below",
    "panels/view.js:4 app-only-from-main",
    "panels/view.js:5 literal-specifier",
    "panels/view.js:6 three-only-in-scene",
    "panels/view.js:7 bare-specifier-mapped",
    "panels/view.js:8 inside-root",
  ]);
});

test("comments, strings, templates, regexes, properties and object keys are not DOM use", () => {
  const source = [
    "// Runs outside the document: no window, no navigator.",
    "/* requestAnimationFrame drives it from panels/ */",
    'const label = "document";',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a module under test
    "const hint = `location ${label} window`;",
    "const quotes = /[\"'`]document/;",
    "export const read = (event) => event.location ?? options.window ?? { navigator: 1, document: label, quotes, hint };",
    "export function go(signal) {",
    '  signal.addEventListener("abort", () => {});',
    "  return globalThis.fetch(label);",
    "}",
    "",
  ].join("\n");
  assert.deepEqual(parseModule(source).globals, []);
  assert.deepEqual(check("clean", { "data/quiet.js": source, "model/quiet.js": source }), []);
  assert.deepEqual(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the source of a module under test
    parseModule("const a = `${document.title}`;\nglobalThis.localStorage.clear();\naddEventListener('load', go);\n").globals,
    [
      { name: "document", line: 1 },
      { name: "localStorage", line: 2 },
      { name: "addEventListener", line: 3 },
    ],
  );
});

test("the page's own modules keep every layer rule", () => {
  const html = readFileSync(join(REPO, "index.html"), "utf8");
  const importMap = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)[1]).imports;
  const stage = parseModule(readFileSync(join(REPO, "assets", "js", "scene", "stage.js"), "utf8"));
  assert.ok(
    stage.imports.some((entry) => entry.specifier === "three"),
    "the checker reads the real modules' imports",
  );
  const violations = checkLayers(join(REPO, "assets", "js"), { importMap });
  assert.equal(formatViolations(violations, "assets/js/"), "", "layer rules broken (file:line: [rule] why)");
});
