// The broken-export corpus (broken-exports.mjs) through the page's own validators: every case
// is refused where it should be, with a message naming the field or tensor; the committed
// export itself passes every stage.
import assert from "node:assert/strict";
import { test } from "node:test";
import { readSampleSet, readSnapshot } from "../../assets/js/data/export-files.js";
import { loadManifest } from "../../assets/js/data/export-loader.js";
import { fetchFile } from "../../assets/js/data/fetch-file.js";
import { brokenExports, loadDefaultExport } from "./broken-exports.mjs";
import { wordedKeys } from "./worded-errors.mjs";

const MANIFEST_URL = "http://127.0.0.1:8000/exports/mlp_weights.json";
const base = loadDefaultExport();
const cases = brokenExports(base);

/** loadManifest over a fake server that answers with `text`. */
function load(manifest) {
  const text = typeof manifest === "string" ? manifest : (JSON.stringify(manifest) ?? "");
  return loadManifest(MANIFEST_URL, async () => ({ ok: true, status: 200, text: async () => text }));
}

/** The file a case replaced (or the default's own), as an ArrayBuffer. */
function fileOf(item, entry, original) {
  const bytes = item.files.get(entry.file) ?? original;
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

async function check(item) {
  if (item.stage === "manifest") return load(item.manifest);
  const manifest = await load(item.manifest);
  if (item.stage === "snapshot") return readSnapshot(fileOf(item, manifest.timeline[0], base.snapshot), manifest.timeline[0], manifest);
  return readSampleSet(fileOf(item, manifest[item.stage], base[item.stage]), manifest[item.stage], manifest);
}

test("the corpus is large and covers the manifest and every kind of file", () => {
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  const stages = new Set(cases.map((item) => item.stage));
  assert.deepEqual([...stages].sort(), ["gallery", "manifest", "probe", "snapshot"]);
  assert.equal(new Set(cases.map((item) => item.name)).size, cases.length, "case names are unique");
});

test("the committed export passes every stage", async () => {
  const manifest = await load(base.manifest);
  const snapshot = await readSnapshot(fileOf({ files: new Map() }, manifest.timeline[0], base.snapshot), manifest.timeline[0], manifest);
  assert.equal(snapshot.network.sizes.length, 4);
  for (const key of ["probe", "gallery"]) {
    const set = await readSampleSet(fileOf({ files: new Map() }, manifest[key], base[key]), manifest[key], manifest);
    assert.equal(set.count, manifest[key].count);
  }
});

for (const item of cases) {
  test(`refused: ${item.stage}: ${item.name}`, async () => {
    await assert.rejects(check(item), (error) => {
      assert.match(error.message, item.expect);
      if (item.stage === "manifest") assert.match(error.message, /^exports\/mlp_weights\.json: /, "names the file");
      wordedKeys(error); // the page words it in its own language
      return true;
    });
  });
}

test("a server that never answers: the fetch gives up and names the file", async () => {
  const stalled = (_url, { signal }) =>
    new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
  const started = Date.now();
  await assert.rejects(
    fetchFile("http://127.0.0.1:8000/exports/mlp_weights/000_init.safetensors", { fetch: stalled, timeoutMs: 200 }),
    /^Error: exports\/mlp_weights\/000_init\.safetensors: did not arrive within 0 s/,
  );
  assert.ok(Date.now() - started < 2000);
});

test("an answer larger than allowed is cut off while it streams", async () => {
  let pulled = 0;
  const endless = async () => ({
    ok: true,
    status: 200,
    headers: new Headers(),
    body: new ReadableStream({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    }),
  });
  await assert.rejects(
    fetchFile("http://127.0.0.1:8000/exports/huge.json", { fetch: endless, maxBytes: 1024 * 1024 }),
    /exports\/huge\.json: \d+ bytes or more, larger than the 1048576 bytes/,
  );
  assert.ok(pulled < 40, `stopped after ${pulled} chunks`);
});
