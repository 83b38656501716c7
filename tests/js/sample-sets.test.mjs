// The probe and gallery sets are cached by content: the MLP and the CNN ship the same probe
// file (same sha256) under their own folders, and switching between them downloaded it twice
// (789 kB). Real committed files, served by a fetch that reads them from disk and counts.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { loadSampleSet } from "../../assets/js/data/sample-sets.js";

const EXPORTS = new URL("../../exports/", import.meta.url);

/** The committed manifest `name` as served from `origin`, and a fetch of that origin that records each URL. */
async function served(origin, name, requested, edit = (json) => json) {
  const json = edit(JSON.parse(await readFile(new URL(name, EXPORTS), "utf8")));
  const manifest = validateManifest(json, `${origin}/exports/${name}`);
  const fetch = async (url) => {
    requested.push(url);
    const bytes = await readFile(new URL(url.slice(`${origin}/exports/`.length), EXPORTS));
    return new Response(bytes);
  };
  return { manifest, fetch };
}

test("the same probe file under two exports' folders is downloaded once; different galleries twice", async () => {
  const requested = [];
  const mlp = await served("http://one.test", "mlp_weights.json", requested);
  const cnn = await served("http://one.test", "cnn_weights.json", requested);
  assert.equal(mlp.manifest.probe.sha256, cnn.manifest.probe.sha256, "the committed exports share their probe set");
  assert.notEqual(mlp.manifest.probe.url, cnn.manifest.probe.url);
  const first = await loadSampleSet(mlp.manifest.probe, mlp.manifest, mlp.fetch);
  const second = await loadSampleSet(cnn.manifest.probe, cnn.manifest, cnn.fetch);
  assert.equal(second, first, "the CNN gets the set the MLP's download checked");
  assert.equal(first.count, 1000);
  await loadSampleSet(mlp.manifest.gallery, mlp.manifest, mlp.fetch);
  await loadSampleSet(cnn.manifest.gallery, cnn.manifest, cnn.fetch);
  assert.deepEqual(requested, [mlp.manifest.probe.url, mlp.manifest.gallery.url, cnn.manifest.gallery.url]);
});

test("a listed hash is no key when it is not checked, nor for an entry that differs in count", async () => {
  const requested = [];
  const mlp = await served("http://two.test", "mlp_weights.json", requested);
  const cnn = await served("http://two.test", "cnn_weights.json", requested);
  await loadSampleSet(mlp.manifest.probe, mlp.manifest, mlp.fetch, { verifyHash: false });
  await loadSampleSet(cnn.manifest.probe, cnn.manifest, cnn.fetch, { verifyHash: false });
  assert.deepEqual(requested, [mlp.manifest.probe.url, cnn.manifest.probe.url], "unchecked: one download per URL");

  const miscounted = await served("http://three.test", "cnn_weights.json", requested, (json) => {
    json.probe.count = 999;
    json.latent.probe_size = 999; // the manifest's own cross-check
    return json;
  });
  await assert.rejects(loadSampleSet(miscounted.manifest.probe, miscounted.manifest, miscounted.fetch), /999/);
  assert.equal(requested.at(-1), miscounted.manifest.probe.url, "its own file was fetched and checked");
});
