import assert from "node:assert/strict";
import { test } from "node:test";
import { checkUrlStateAgainstManifest, decodeUrlState, encodeUrlState } from "../../assets/js/app/url-state.js";
import { loadManifest, loadProbe } from "./insights-export.mjs";

const camera = { position: [1.25, -0.5, 9], target: [0, 0.75, -2.13] };

test("a full state round-trips exactly, with an 8-bit drawing (a real MNIST digit)", async () => {
  const manifest = await loadManifest();
  const probe = await loadProbe(manifest);
  const state = {
    export: "exports/mlp_weights.json",
    snapshot: manifest.timeline.at(-1).id,
    drawing: probe.pixels(42),
    camera,
    selected: { layer: 1, index: 17 },
  };
  const hash = encodeUrlState(state);
  assert.match(
    hash,
    /^#export=exports\/mlp_weights\.json&snapshot=[a-z0-9]+&drawing=8[A-Za-z0-9_-]+&camera=1\.25,-0\.5,9,0,0\.75,-2\.13&neuron=1\.17$/,
  );
  assert.ok(hash.length < 600, `blank paper is run-length coded (link of ${hash.length} characters)`);
  const { state: decoded, notices } = decodeUrlState(hash);
  assert.deepEqual(notices, []);
  assert.deepEqual(decoded, { ...state, drawing: decoded.drawing });
  assert.deepEqual(Array.from(decoded.drawing), Array.from(state.drawing));
  assert.equal(encodeUrlState(decoded), hash, "encoding the decoded state gives the same link");
});

test("a drawing on 16 ink levels is stored at 4 bits per pixel, still exact", () => {
  const drawing = Float32Array.from({ length: 784 }, (_, i) => ((i * 7) % 16) / 15);
  const hash = encodeUrlState({ drawing });
  assert.match(hash, /^#drawing=4/);
  // Two pixels per byte; this pattern never has two blank pixels side by side, so no runs.
  assert.equal(hash.length, "#drawing=4".length + Math.ceil((392 * 4) / 3));
  const { state, notices } = decodeUrlState(hash);
  assert.deepEqual(notices, []);
  assert.deepEqual(Array.from(state.drawing), Array.from(drawing));
  const blankHash = encodeUrlState({ drawing: new Float32Array(784) });
  assert.ok(blankHash.length < 20, blankHash);
  assert.ok(decodeUrlState(blankHash).state.drawing.every((v) => v === 0));
  const inkOnly = Float32Array.from({ length: 784 }, () => 1); // no zero runs at all
  assert.deepEqual(Array.from(decodeUrlState(encodeUrlState({ drawing: inkOnly })).state.drawing), Array.from(inkOnly));
});

test("camera values are rounded to hundredths when shared; an empty state is just '#'", () => {
  const hash = encodeUrlState({ camera: { position: [1.23456, -0.0001, 3], target: [0, 0, 0.005] } });
  assert.equal(hash, "#camera=1.23,0,3,0,0,0.01");
  assert.equal(encodeUrlState({}), "#");
  assert.deepEqual(decodeUrlState(""), { state: {}, notices: [] });
  assert.deepEqual(decodeUrlState("#"), { state: {}, notices: [] });
});

test("invalid values are dropped with a notice each, valid ones kept", () => {
  const good = Float32Array.from({ length: 784 }, (_, i) => (i % 3) / 15);
  const goodDrawing = encodeUrlState({ drawing: good }).slice("#drawing=".length);
  const cases = [
    ["export=https://evil.example/x.json", /export/],
    ["export=//evil.example/x.json", /export/],
    ["export=/etc/x.json", /export/],
    ["export=javascript:alert(1)", /export/],
    ["export=exports/weights.txt", /export/],
    ["snapshot=<script>", /snapshot/],
    ["drawing=8AAAA", /drawing/],
    ["drawing=8AP8", /drawing/], // zero runs adding up to 256 pixels, not 784
    ["drawing=8AP8A_wD_AP8A", /drawing/], // ... or to more than 784
    ["drawing=8_w", /drawing/], // one ink pixel, nothing else
    [`drawing=x${goodDrawing.slice(1)}`, /drawing/],
    [`drawing=${goodDrawing.slice(0, -4)}`, /drawing/],
    [`drawing=${goodDrawing.slice(0, -1)}!`, /drawing/],
    [`drawing=${goodDrawing.slice(0, -1)}B`, /drawing/], // non-zero padding bits
    ["camera=1,2,3,4,5", /camera/],
    ["camera=1,2,3,4,5,NaN", /camera/],
    ["camera=1,2,3,4,5,1e999", /camera/],
    ["camera=1,2,3,4,5,99999", /camera/],
    ["neuron=one.two", /neuron/],
    ["neuron=1.-3", /neuron/],
    ["volume=11", /volume/],
  ];
  for (const [bad, mentions] of cases) {
    const { state, notices } = decodeUrlState(`#snapshot=ep1&${bad}&neuron=2.5`, { drawingLength: 784 });
    assert.equal(notices.length, 1, `${bad}: ${JSON.stringify(notices)}`);
    assert.match(notices[0], mentions);
    assert.ok(!notices[0].includes("<script>"), "notices are plain sentences (shown with textContent anyway)");
    if (!bad.startsWith("snapshot")) assert.equal(state.snapshot, "ep1", `${bad}: the valid snapshot survives`);
    if (!bad.startsWith("neuron")) assert.deepEqual(state.selected, { layer: 2, index: 5 });
  }
  const twice = decodeUrlState("#snapshot=ep1&snapshot=ep2");
  assert.equal(twice.state.snapshot, "ep1");
  assert.match(twice.notices[0], /twice/);
});

test("read before the export is known, a drawing of the wrong size is dropped once the manifest says the input size", async () => {
  const manifest = await loadManifest();
  const inputSize = manifest.model.layer_sizes[0];
  const good = Float32Array.from({ length: inputSize }, (_, i) => (i % 3) / 15);
  const goodDrawing = encodeUrlState({ drawing: good }).slice("#drawing=".length);
  const wrongSizes = [
    "8AP8", // zero runs adding up to 256 pixels
    "8AP8A_wD_AP8A", // ... or to more than the input
    "8_w", // one ink pixel, nothing else
    goodDrawing.slice(0, -4), // cut short
    encodeUrlState({ drawing: new Float32Array(70000) }).slice("#drawing=".length), // refused while decoding: too large for any input
  ];
  for (const drawing of wrongSizes) {
    const read = decodeUrlState(`#snapshot=ep1&drawing=${drawing}`);
    const { state, notices } = checkUrlStateAgainstManifest(read.state, manifest);
    const all = [...read.notices, ...notices];
    assert.equal(all.filter((notice) => /drawing/.test(notice)).length, 1, `${drawing}: ${JSON.stringify(all)}`);
    assert.equal(state.drawing, undefined, drawing);
  }
  const { state, notices } = checkUrlStateAgainstManifest(decodeUrlState(`#drawing=${goodDrawing}`).state, manifest);
  assert.deepEqual(notices, []);
  assert.deepEqual(Array.from(state.drawing), Array.from(good));
});

test("decoding never throws, whatever the hash holds", () => {
  let seed = 7;
  const chars = "#&=%.,-_/aZ09~+ü\u0000";
  for (let n = 0; n < 2000; n++) {
    let text = "";
    const length = n % 40;
    for (let i = 0; i < length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      text += chars[seed % chars.length];
    }
    const { state, notices } = decodeUrlState(text);
    assert.equal(typeof state, "object");
    assert.ok(Array.isArray(notices));
  }
  assert.doesNotThrow(() => decodeUrlState("#drawing=%E0%A4%A"));
  assert.doesNotThrow(() => decodeUrlState(null));
});

test("against the real manifest: unknown snapshot ids and neurons outside the network are dropped", async () => {
  const manifest = await loadManifest();
  const { state: kept, notices: none } = checkUrlStateAgainstManifest(
    { snapshot: manifest.timeline[1].id, selected: { layer: 1, index: manifest.model.layer_sizes[1] - 1 } },
    manifest,
  );
  assert.deepEqual(none, []);
  assert.equal(kept.snapshot, manifest.timeline[1].id);
  const hidden = manifest.model.layer_sizes[1];
  const { state, notices } = checkUrlStateAgainstManifest(
    { snapshot: "ep999", selected: { layer: 1, index: hidden }, export: "exports/mlp_weights.json" },
    manifest,
  );
  assert.deepEqual(state, { export: "exports/mlp_weights.json" });
  assert.equal(notices.length, 2);
  assert.match(notices[0], /ep999/);
  assert.match(notices[1], new RegExp(`neuron ${hidden} in layer 1`));
  assert.equal(checkUrlStateAgainstManifest({ selected: { layer: 9, index: 0 } }, manifest).notices.length, 1);
});
