import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { displayPath } from "../../assets/js/data/fetch-file.js";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { SnapshotStore } from "../../assets/js/data/snapshot-store.js";
import { LAYER_SIZES, makeManifest, randomNetwork, writeSafetensors } from "./helpers.mjs";

const BASE = "http://127.0.0.1:8000/exports/mlp_weights.json";

/** A manifest of `count` snapshots plus their files (url → ArrayBuffer) with real sizes and hashes. */
function makeExport(count = 5, patch = () => {}) {
  const json = makeManifest(count, { latentProbe: 4 });
  const files = new Map();
  json.timeline.forEach((entry, index) => {
    const tensors = randomNetwork(LAYER_SIZES, index + 1, { latentProbe: 4 });
    patch(index, tensors);
    const buffer = writeSafetensors(tensors, { id: entry.id, index: String(index) });
    entry.bytes = buffer.byteLength;
    entry.sha256 = createHash("sha256").update(new Uint8Array(buffer)).digest("hex");
    files.set(new URL(entry.file, BASE).href, buffer);
  });
  return { manifest: validateManifest(json, BASE), files };
}

/** fetch whose answers the test releases one by one, in any order. */
function controlledFetch(files) {
  const requests = [];
  const fetch = (url, { signal } = {}) =>
    new Promise((resolve, reject) => {
      const request = { url, aborted: false };
      request.release = () => {
        const body = files.get(url);
        resolve(
          body ? { ok: true, status: 200, arrayBuffer: async () => body.slice(0) } : { ok: false, status: 404, statusText: "Not Found" },
        );
      };
      signal?.addEventListener("abort", () => {
        request.aborted = true;
        reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
      });
      requests.push(request);
    });
  return { fetch, requests };
}

const instantFetch =
  (files, log = []) =>
  async (url) => {
    log.push(url);
    const body = files.get(url);
    return body ? { ok: true, status: 200, arrayBuffer: async () => body.slice(0) } : { ok: false, status: 404, statusText: "Not Found" };
  };

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("a snapshot is fetched, checked, decoded into an MLP and cached", async () => {
  const { manifest, files } = makeExport(3);
  const log = [];
  const store = new SnapshotStore(manifest, { fetch: instantFetch(files, log) });
  const snapshot = await store.show(1);
  assert.equal(snapshot.index, 1);
  assert.equal(snapshot.metadata.id, "snap1");
  assert.deepEqual(snapshot.network.sizes, LAYER_SIZES);
  assert.equal(snapshot.tensors.get("latent.coords").shape[0], 4);
  assert.equal(await store.show(1), snapshot, "second show comes from the cache");
  assert.deepEqual(log, [manifest.timeline[1].url]);
});

test("the LRU cache keeps the most recently used snapshots", async () => {
  const { manifest, files } = makeExport(5);
  const log = [];
  const store = new SnapshotStore(manifest, { fetch: instantFetch(files, log), capacity: 2 });
  await store.load(0);
  await store.load(1);
  store.cached(0); // 0 is now the most recent, so 1 is evicted next
  await store.load(2);
  assert.deepEqual([...store.cache.keys()], [0, 2]);
  await store.load(1);
  assert.equal(log.length, 4, "1 was evicted and fetched again");
  assert.equal(store.cached(2), store.cache.get(2));
});

test("an older answer arriving late never replaces a newer one", async () => {
  const { manifest, files } = makeExport(5);
  const { fetch, requests } = controlledFetch(files);
  const store = new SnapshotStore(manifest, { fetch, verifyHash: false });
  const first = store.show(1);
  const second = store.show(3);
  await tick();
  requests[1].release(); // the newer request answers first
  assert.equal((await second).index, 3);
  requests[0].release();
  assert.equal(await first, null, "the late answer for snapshot 1 is ignored");
  assert.ok(store.cached(1), "but it is kept in the cache");
});

test("a fast drag aborts superseded downloads but keeps the oldest running one", async () => {
  const { manifest, files } = makeExport(6);
  const { fetch, requests } = controlledFetch(files);
  const store = new SnapshotStore(manifest, { fetch, verifyHash: false });
  const shows = [1, 2, 3, 4].map((index) => store.show(index));
  await tick();
  assert.deepEqual(
    requests.map((r) => r.aborted),
    [false, true, true, false],
  );
  requests[0].release();
  assert.equal((await shows[0]).index, 1, "the oldest download still shows while dragging");
  assert.equal(await shows[1], null);
  assert.equal(await shows[2], null);
  requests[3].release();
  assert.equal((await shows[3]).index, 4);
});

test("prefetch loads the neighbours once", async () => {
  const { manifest, files } = makeExport(4);
  const log = [];
  const store = new SnapshotStore(manifest, { fetch: instantFetch(files, log) });
  await store.show(0);
  store.prefetch(0);
  store.prefetch(0);
  await tick();
  await Promise.all([...store.loading.values()].map((p) => p.promise));
  assert.deepEqual(log, [manifest.timeline[0].url, manifest.timeline[1].url]);
  assert.ok(store.cached(1));
});

test("the file's path is in every error", () => {
  assert.equal(displayPath("http://127.0.0.1:8000/exports/mlp_weights/000_init.safetensors"), "exports/mlp_weights/000_init.safetensors");
});

async function errorOf(store, index) {
  try {
    await store.show(index);
  } catch (error) {
    return error.message;
  }
  assert.fail("no error");
}

test("a 404, a truncated file, a bad hash, a shape mismatch and a NaN each get a specific message", async () => {
  const { manifest, files } = makeExport(5, (index, tensors) => {
    if (index === 3) tensors["layers.1.weight"] = { dtype: "F16", shape: [12, 15], values: new Array(180).fill(0) };
    if (index === 4) tensors["layers.0.bias"].values[2] = NaN;
  });
  // Shape mismatch and NaN are checked on content: keep the manifest's size and hash honest for them.
  const name = (i) => `exports/mlp_weights/00${i}_snap${i}.safetensors`;
  files.delete(manifest.timeline[0].url);
  files.set(manifest.timeline[1].url, files.get(manifest.timeline[1].url).slice(0, 500));
  const flipped = new Uint8Array(files.get(manifest.timeline[2].url).slice(0));
  flipped[flipped.length - 1] ^= 1;
  files.set(manifest.timeline[2].url, flipped.buffer);
  const store = new SnapshotStore(manifest, { fetch: instantFetch(files) });
  assert.equal(await errorOf(store, 0), `${name(0)}: could not be loaded (HTTP 404 Not Found)`);
  assert.match(await errorOf(store, 1), new RegExp(`^${name(1)}: truncated file: 500 bytes, the manifest says \\d+`));
  assert.equal(await errorOf(store, 2), `${name(2)}: sha256 does not match the manifest (corrupt or replaced file)`);
  assert.equal(await errorOf(store, 3), `${name(3)}: shape mismatch: "layers.1.weight" is [12,15], the manifest needs [12,16]`);
  assert.equal(await errorOf(store, 4), `${name(4)}: tensor "layers.0.bias" contains NaN (not a finite number)`);
  assert.equal(store.cache.size, 0, "nothing broken is cached");
});

test("without bytes or sha256 in the manifest a truncated file is still caught by the parser", async () => {
  const { manifest, files } = makeExport(1);
  delete manifest.timeline[0].bytes;
  delete manifest.timeline[0].sha256;
  files.set(manifest.timeline[0].url, files.get(manifest.timeline[0].url).slice(0, 2000));
  const store = new SnapshotStore(manifest, { fetch: instantFetch(files) });
  assert.match(await errorOf(store, 0), /000_snap0.safetensors: tensor "layers.0.weight" offsets .* out of range/);
});
