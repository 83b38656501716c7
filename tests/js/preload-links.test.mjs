// index.html preloads exactly what the first frame needs (preload-links.mjs): every
// module of main.js's static import graph, three.js included, and — through the
// #export-preloads map — the manifest the address names and the snapshot it shows first,
// as the committed manifests name them. A missing link brings back a round trip per
// import level; a stale one downloads a file for nothing.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEFAULT_EXPORT as PAGE_DEFAULT_EXPORT } from "../../assets/js/data/export-loader.js";
import { declaredPreloads, expectedPreloads, linkBlock, REPO } from "./preload-links.mjs";

const scratch = mkdtempSync(join(tmpdir(), "preload-test-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** What is wrong with index.html's preload links in `root`, one line each ([] when all is right). */
function problems(root) {
  const expected = expectedPreloads(root);
  const declared = declaredPreloads(readFileSync(join(root, "index.html"), "utf8"));
  const lines = [];
  const want = new Set(expected.modules);
  const have = new Set(declared.modules);
  for (const href of want) if (!have.has(href)) lines.push(`missing ${href}`);
  for (const href of have) if (!want.has(href)) lines.push(`stale ${href}`);
  if (have.size !== declared.modules.length) lines.push("a modulepreload link is repeated");
  for (const href of declared.fetches) lines.push(`static preload ${href}: fetched whatever the address asks for`);
  if (JSON.stringify(declared.exports) !== JSON.stringify(expected.exports)) {
    lines.push(`#export-preloads is ${JSON.stringify(declared.exports)}, not ${JSON.stringify(expected.exports)}`);
  }
  return lines;
}

test("index.html preloads exactly the bundle's static import graph and the first files of each export", () => {
  const found = problems(REPO);
  assert.deepEqual(found, [], `${found.join("\n")}\n\nPaste this block into index.html's head:\n${linkBlock(expectedPreloads())}`);
});

test("the graph reaches three.js through the import map; the map names the page's default and every switch export", () => {
  const { modules, exports } = expectedPreloads();
  for (const vendored of ["assets/vendor/three/three.module.js", "assets/vendor/three/addons/controls/OrbitControls.js"]) {
    assert.ok(modules.includes(vendored), vendored);
  }
  assert.equal(modules.length, 2, "the page's own modules are one bundle: nothing of assets/js/ is loaded");
  assert.equal(exports.default, PAGE_DEFAULT_EXPORT);
  assert.deepEqual(Object.keys(exports.shown), ["exports/mlp_weights.json", "exports/cnn_weights.json"]);
  assert.match(exports.shown["exports/cnn_weights.json"].file, /^exports\/cnn_weights\/.+\.safetensors$/);
});

/** The preload links index.html's inline script adds for an address: [[href, as, crossOrigin]]. */
function preloadsFor(address) {
  const html = readFileSync(join(REPO, "index.html"), "utf8");
  const script = /<script>(.*?)<\/script>/s.exec(html)[1];
  const map = /<script type="application\/json" id="export-preloads">(.*?)<\/script>/s.exec(html)[1];
  const added = [];
  const document = {
    getElementById: (id) => (id === "export-preloads" ? { textContent: map } : null),
    createElement: () => ({}),
    head: { append: (link) => added.push(link.rel === "preload" ? [link.href, link.as, link.crossOrigin] : link) },
  };
  const url = new URL(address, "http://127.0.0.1:8000/");
  new Function("document", "location", script)(document, { search: url.search, hash: url.hash });
  return added;
}

test("the inline script preloads the export the address names, and only a known one", () => {
  const { shown } = expectedPreloads().exports;
  const mlp = "exports/mlp_weights.json";
  const cnn = "exports/cnn_weights.json";
  const files = (path) => [path, shown[path].file].map((href) => [href, "fetch", "anonymous"]);
  assert.deepEqual(preloadsFor("/"), files(mlp));
  assert.deepEqual(preloadsFor("/?export="), files(mlp), "an empty ?export= is the default");
  assert.deepEqual(preloadsFor(`/?export=${cnn}`), files(cnn));
  assert.deepEqual(preloadsFor(`/?kiosk&export=${cnn}&idle=30`), files(cnn));
  assert.deepEqual(preloadsFor(`/#export=${cnn}&drawing=abc`), files(cnn), "a shared link's #export=");
  assert.deepEqual(preloadsFor(`/?export=${mlp}#export=${cnn}`), files(mlp), "?export= wins, as in readLink");
  assert.deepEqual(preloadsFor(`/?export=${cnn}#snapshot=ep3`), [[cnn, "fetch", "anonymous"]], "another snapshot: the manifest only");
  assert.deepEqual(preloadsFor(`/#snapshot=${shown[mlp].id}&camera=1,2,3,0,0,0`), files(mlp), "the page's own link to the last");
  for (const other of ["exports/mine.json", "../../etc/passwd", "//evil.example/x.json", "__proto__", "constructor"]) {
    assert.deepEqual(preloadsFor(`/?export=${encodeURIComponent(other)}`), [], other);
  }
});

/** A copy of the page's files in the scratch folder, with `edit` applied. */
function copyWith(name, edit) {
  const root = join(scratch, name);
  for (const part of ["index.html", "assets/bundle", "assets/vendor", "exports/mlp_weights.json", "exports/cnn_weights.json"]) {
    cpSync(join(REPO, part), join(root, part), { recursive: true });
  }
  edit(root);
  return root;
}

test("the check fails on a new import, a removed one and a re-exported snapshot", () => {
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
    const path = join(root, "exports/cnn_weights.json");
    const manifest = JSON.parse(readFileSync(path, "utf8"));
    manifest.timeline.at(-1).file = manifest.timeline.at(-1).file.replace(".safetensors", "_new.safetensors");
    writeFileSync(path, JSON.stringify(manifest));
  });
  assert.equal(problems(retrained).length, 1);
  assert.match(problems(retrained)[0], /^#export-preloads is .*, not .*cnn_weights\/.*_new\.safetensors/);
});

test("a static preload, which the browser fetches whatever the address asks for, is reported", () => {
  const statically = copyWith("static", (root) => {
    const path = join(root, "index.html");
    const link = '<link rel="preload" href="exports/mlp_weights.json" as="fetch" crossorigin>';
    writeFileSync(path, readFileSync(path, "utf8").replace("</head>", `${link}\n</head>`));
  });
  assert.deepEqual(problems(statically), ["static preload exports/mlp_weights.json: fetched whatever the address asks for"]);
});
