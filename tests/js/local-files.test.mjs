// Exports opened from the local disk go through the HTTP path's loaders: the committed CNN
// export's real files, given as Blobs, load and decode; a broken copy (a path leaving the
// manifest's folder, a missing or truncated snapshot) is refused with the very message the same
// files get when served over HTTP (here: a fetch answering from the same bytes by URL).
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { test } from "node:test";
import { loadManifest } from "../../assets/js/data/export-loader.js";
import { isLocalExport, openLocalFiles } from "../../assets/js/data/local-files.js";
import { SnapshotStore } from "../../assets/js/data/snapshot-store.js";

const FOLDER = new URL("../../exports/", import.meta.url);

/** The CNN export as { path: bytes }, paths under "my-export/" as a folder dialog gives them. */
async function cnnFiles() {
  const files = { "my-export/cnn_weights.json": await readFile(new URL("cnn_weights.json", FOLDER)) };
  for (const name of await readdir(new URL("cnn_weights/", FOLDER))) {
    files[`my-export/cnn_weights/${name}`] = await readFile(new URL(`cnn_weights/${name}`, FOLDER));
  }
  return files;
}

const asEntries = (files) => Object.entries(files).map(([path, bytes]) => ({ path, file: new Blob([bytes]) }));

/** A server's fetch over the same files (404 for the rest). */
const httpFetch = (files) => async (url) => {
  const bytes = files[decodeURIComponent(new URL(url).pathname.slice(1))];
  return bytes ? new Response(bytes) : new Response(null, { status: 404, statusText: "File not found" });
};

/** Load the manifest and its last snapshot; the error message, or "ok". */
async function outcome(url, fetch) {
  try {
    const manifest = await loadManifest(url, fetch);
    await new SnapshotStore(manifest, { fetch }).load(manifest.timeline.length - 1);
    return "ok";
  } catch (error) {
    return error.message;
  }
}

async function bothWays(files) {
  const { url } = openLocalFiles(asEntries(files));
  const local = await outcome(url); // the loaders' default fetch serves the local files
  const http = await outcome("http://127.0.0.1:8000/my-export/cnn_weights.json", httpFetch(files));
  return { local, http };
}

test("the committed CNN export's files open locally and their last snapshot decodes", async () => {
  const { url, exportPath } = openLocalFiles(asEntries(await cnnFiles()));
  assert.equal(exportPath, "local:my-export/cnn_weights.json");
  assert.ok(isLocalExport(exportPath) && !isLocalExport("exports/cnn_weights.json"));
  const manifest = await loadManifest(url);
  const snapshot = await new SnapshotStore(manifest).load(manifest.timeline.length - 1);
  assert.equal(snapshot.network.layers[0].type, "conv2d");
  // Files picked one by one (no folder) are matched by name.
  const flat = Object.entries(await cnnFiles()).map(([path, bytes]) => ({ path: path.split("/").at(-1), file: new Blob([bytes]) }));
  const flatManifest = await loadManifest(openLocalFiles(flat).url);
  assert.equal((await new SnapshotStore(flatManifest).load(0)).entry.id, flatManifest.timeline[0].id);
});

test("broken local exports get the same error as over HTTP", async () => {
  const files = await cnnFiles();
  const manifest = JSON.parse(files["my-export/cnn_weights.json"]);
  const last = manifest.timeline.at(-1).file;
  const cases = {
    "a path leaving the folder": () => {
      manifest.timeline.at(-1).file = "../elsewhere.safetensors";
      return { "my-export/cnn_weights.json": JSON.stringify(manifest) };
    },
    "a missing snapshot": () => ({ [`my-export/${last}`]: undefined }),
    "a truncated snapshot": () => ({ [`my-export/${last}`]: files[`my-export/${last}`].subarray(0, 5000) }),
    "a manifest that is not JSON": () => ({ "my-export/cnn_weights.json": "{ nope" }),
  };
  for (const [name, change] of Object.entries(cases)) {
    const original = structuredClone(manifest);
    const broken = { ...files, ...change() };
    for (const [path, bytes] of Object.entries(broken)) if (bytes === undefined) delete broken[path];
    Object.assign(manifest, original);
    const { local, http } = await bothWays(broken);
    assert.notEqual(local, "ok", name);
    assert.match(local, /^my-export\//, `${name}: names the file`);
    assert.equal(local.replace("not among the opened files", "File not found"), http, name);
  }
});

test("the opened files must hold exactly one manifest nearest the top", () => {
  const blob = new Blob(["{}"]);
  assert.throws(() => openLocalFiles([{ path: "a/x.safetensors", file: blob }]), /hold no manifest/);
  assert.throws(
    () =>
      openLocalFiles([
        { path: "exports/cnn_weights.json", file: blob },
        { path: "exports/mlp_weights.json", file: blob },
      ]),
    /2 manifests \(exports\/cnn_weights\.json, exports\/mlp_weights\.json\)/,
  );
  // A .json deeper in the folder (a snapshot folder's own file) does not compete with the manifest.
  assert.equal(
    openLocalFiles([
      { path: "m.json", file: blob },
      { path: "m/extra.json", file: blob },
    ]).exportPath,
    "local:m.json",
  );
});
