// index.html preloads exactly what the first frame needs (preload-links.mjs): every
// module of main.js's static import graph, three.js included, and the default export's
// manifest and shown snapshot as the committed manifest names them. A missing link
// brings back a round trip per import level; a stale one downloads a file for nothing.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEFAULT_EXPORT as PAGE_DEFAULT_EXPORT } from "../../assets/js/data/export-loader.js";
import { DEFAULT_EXPORT, declaredPreloads, expectedPreloads, linkBlock, REPO } from "./preload-links.mjs";

const scratch = mkdtempSync(join(tmpdir(), "preload-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What is wrong with index.html's preload links in `root`, one line each ([] when all is right). */
function problems(root) {
  const expected = expectedPreloads(root);
  const declared = declaredPreloads(readFileSync(join(root, "index.html"), "utf8"));
  const lines = [];
  for (const kind of ["modules", "fetches"]) {
    const want = new Set(expected[kind]);
    const have = new Set(declared[kind]);
    for (const href of want) if (!have.has(href)) lines.push(`missing ${href}`);
    for (const href of have) if (!want.has(href)) lines.push(`stale ${href}`);
    if (have.size !== declared[kind].length) lines.push(`a ${kind} link is repeated`);
  }
  return lines;
}

test("index.html preloads exactly the bundle's static import graph and the default export's first files", () => {
  const found = problems(REPO);
  assert.deepEqual(found, [], `${found.join("\n")}\n\nPaste this block into index.html's head:\n${linkBlock(expectedPreloads())}`);
});

test("the graph reaches three.js through the import map and the manifest is the page's default", () => {
  const { modules, fetches } = expectedPreloads();
  assert.equal(DEFAULT_EXPORT, PAGE_DEFAULT_EXPORT);
  for (const vendored of ["assets/vendor/three/three.module.js", "assets/vendor/three/addons/controls/OrbitControls.js"]) {
    assert.ok(modules.includes(vendored), vendored);
  }
  assert.equal(modules.length, 2, "the page's own modules are one bundle: nothing of assets/js/ is loaded");
  assert.match(fetches[1], /^exports\/mlp_weights\/.+\.safetensors$/);
});

/** A copy of the page's files in the scratch folder, with `edit` applied. */
function copyWith(name, edit) {
  const root = join(scratch, name);
  for (const part of ["index.html", "assets/bundle", "assets/vendor", "exports/mlp_weights.json"]) {
    cpSync(join(REPO, part), join(root, part), { recursive: true });
  }
  edit(root);
  return root;
}

test("the check fails on a new import, a removed one and a re-exported default snapshot", () => {
  const bundle = (root) => join(root, "assets/bundle/main.js");
  const added = copyWith("added", (root) => {
    writeFileSync(join(root, "assets/vendor/three/addons/extra.js"), "export const x = 1;\n");
    writeFileSync(bundle(root), `import "three/addons/extra.js";\n${readFileSync(bundle(root), "utf8")}`);
  });
  assert.deepEqual(problems(added), ["missing assets/vendor/three/addons/extra.js"]);

  const removed = copyWith("removed", (root) => {
    writeFileSync(bundle(root), 'import * as THREE from "three";\nconsole.log(THREE.REVISION);\n');
  });
  assert.deepEqual(problems(removed), ["stale assets/vendor/three/addons/controls/OrbitControls.js"]);

  const retrained = copyWith("retrained", (root) => {
    const path = join(root, "exports/mlp_weights.json");
    const manifest = JSON.parse(readFileSync(path, "utf8"));
    const shown = manifest.timeline.at(-1).file;
    manifest.timeline.at(-1).file = shown.replace(".safetensors", "_new.safetensors");
    writeFileSync(path, JSON.stringify(manifest));
  });
  const shown = expectedPreloads().fetches[1];
  assert.deepEqual(problems(retrained), [`missing ${shown.replace(".safetensors", "_new.safetensors")}`, `stale ${shown}`]);
});

test("a preload the page's fetch would not reuse is reported", () => {
  const plain = copyWith("plain", (root) => {
    const path = join(root, "index.html");
    writeFileSync(path, readFileSync(path, "utf8").replace(/(href="exports\/mlp_weights\.json" as="fetch") crossorigin/, "$1"));
  });
  assert.equal(problems(plain).length, 2);
  assert.match(problems(plain).join("\n"), /not as="fetch" crossorigin/);
});
