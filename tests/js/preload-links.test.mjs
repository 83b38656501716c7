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

test("index.html preloads exactly main.js's static import graph and the default export's first files", () => {
  const found = problems(REPO);
  assert.deepEqual(found, [], `${found.join("\n")}\n\nPaste this block into index.html's head:\n${linkBlock(expectedPreloads())}`);
});

test("the graph reaches three.js through the import map and the manifest is the page's default", () => {
  const { modules, fetches } = expectedPreloads();
  assert.equal(DEFAULT_EXPORT, PAGE_DEFAULT_EXPORT);
  for (const vendored of ["assets/vendor/three/three.module.js", "assets/vendor/three/addons/controls/OrbitControls.js"]) {
    assert.ok(modules.includes(vendored), vendored);
  }
  assert.ok(modules.includes("assets/js/scene/connection-lines.js") && modules.length > 50);
  assert.match(fetches[1], /^exports\/mlp_weights\/.+\.safetensors$/);
});

/** A copy of the page's files in the scratch folder, with `edit` applied. */
function copyWith(name, edit) {
  const root = join(scratch, name);
  for (const part of ["index.html", "assets/js", "assets/vendor", "exports/mlp_weights.json"]) {
    cpSync(join(REPO, part), join(root, part), { recursive: true });
  }
  edit(root);
  return root;
}

test("the check fails on a new import, a removed one and a re-exported default snapshot", () => {
  const added = copyWith("added", (root) => {
    writeFileSync(join(root, "assets/js/model/extra.js"), "export const x = 1;\n");
    const path = join(root, "assets/js/model/palette.js");
    writeFileSync(path, `import { x } from "./extra.js";\n${readFileSync(path, "utf8")}`);
  });
  assert.deepEqual(problems(added), ["missing assets/js/model/extra.js"]);

  const removed = copyWith("removed", (root) => {
    const path = join(root, "assets/js/main.js");
    const source = readFileSync(path, "utf8")
      .replace(/^import \{ TourScene \}.*\n/m, "")
      .replace(/new TourScene\(/g, "(");
    writeFileSync(path, source);
  });
  assert.deepEqual(problems(removed), ["stale assets/js/scene/tour-scene.js"]);

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
