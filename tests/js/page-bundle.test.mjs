// index.html loads assets/bundle/main.js, built from the sources in assets/js/ by
// scripts/build-page.mjs: the committed bundle must be exactly what the sources build to,
// so every test of the sources is a test of what the page runs.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { BUNDLE, buildPage } from "../../scripts/build-page.mjs";
import { parseModule } from "./import-graph.mjs";
import { REPO } from "./preload-links.mjs";

test("the committed bundle is what assets/js/ builds to (else: npm run build)", async () => {
  const committed = readFileSync(join(REPO, BUNDLE), "utf8");
  assert.ok((await buildPage()) === committed, `${BUNDLE} is stale: run npm run build and commit it`);
});

test("the bundle imports only what the import map resolves, and index.html loads it", () => {
  const html = readFileSync(join(REPO, "index.html"), "utf8");
  assert.match(html, new RegExp(`<script type="module" src="${BUNDLE}"></script>`));
  const { imports } = parseModule(readFileSync(join(REPO, BUNDLE), "utf8"), []);
  const specifiers = new Set(imports.map(({ specifier }) => specifier));
  assert.deepEqual([...specifiers].sort(), ["qrcode-generator", "three", "three/addons/controls/OrbitControls.js"]);
});
