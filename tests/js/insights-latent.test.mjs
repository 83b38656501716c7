import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CoordsTransition,
  easeInOutCubic,
  interpolateCoords,
  nearestInDirection,
  projectToLatent,
  viewBox,
} from "../../assets/js/model/latent.js";
import { MLP } from "../../assets/js/model/mlp.js";
import { normalise } from "../../assets/js/model/preprocess.js";
import { loadManifest, loadProbe, loadSnapshot } from "./insights-export.mjs";

// latent.coords are float16: rounding moves a value by at most 2^-11 of itself (half a
// unit in the last place). The float32 forward pass adds a little, hence the small floor.
const tolerance = (value) => Math.abs(value) * 2 ** -11 + 5e-5;

test("projecting every probe digit reproduces the exported latent.coords of every snapshot", async () => {
  const manifest = await loadManifest();
  const probe = await loadProbe(manifest);
  assert.equal(probe.count, manifest.latent.probe_size);
  const input = new Float32Array(784);
  let worst = 0;
  for (const entry of manifest.timeline) {
    const tensors = await loadSnapshot(entry);
    const mlp = new MLP(tensors);
    const mean = tensors.get("latent.mean").data;
    const components = tensors.get("latent.components").data;
    const coords = tensors.get("latent.coords").data;
    for (let i = 0; i < probe.count; i++) {
      const result = mlp.forward(normalise(probe.pixels(i), manifest.model.input, input));
      const [x, y] = projectToLatent(result.activations.at(-2), mean, components);
      const [ex, ey] = [coords[2 * i], coords[2 * i + 1]];
      assert.ok(
        Math.abs(x - ex) <= tolerance(ex) && Math.abs(y - ey) <= tolerance(ey),
        `${entry.id}, probe ${i}: projected (${x}, ${y}), exported (${ex}, ${ey})`,
      );
      worst = Math.max(worst, Math.abs(x - ex), Math.abs(y - ey));
    }
  }
  // A different layer or a missing centring would be off by far more than f16 rounding.
  assert.ok(worst < 1e-3, `largest difference ${worst}`);
});

test("projectToLatent refuses mismatched lengths with a clear message", () => {
  assert.throws(() => projectToLatent(new Float32Array(3), new Float32Array(4), new Float32Array(8)), /expected 4 activations/);
});

test("interpolation: endpoints exact, eased middle, and a restart continues from where the points are", () => {
  const from = Float32Array.from([0, 0, 1, -1]);
  const to = Float32Array.from([2, 4, 1, 1]);
  const out = new Float32Array(4);
  assert.deepEqual(Array.from(interpolateCoords(from, to, 0, out)), [0, 0, 1, -1]);
  assert.deepEqual(Array.from(interpolateCoords(from, to, 1, out)), [2, 4, 1, 1]);
  assert.deepEqual(Array.from(interpolateCoords(from, to, 0.5, out)), [1, 2, 1, 0]);
  assert.equal(easeInOutCubic(0.5), 0.5);
  assert.ok(easeInOutCubic(0.1) < 0.1 && easeInOutCubic(0.9) > 0.9, "slow start and slow stop");

  const transition = new CoordsTransition(400);
  transition.snapTo(from);
  transition.start(to, 1000);
  assert.equal(transition.frame(1200), true, "still running half-way");
  assert.deepEqual(Array.from(transition.current), [1, 2, 1, 0]);
  const midway = Array.from(transition.current);
  transition.start(from, 1200); // the user scrubbed back mid-transition
  assert.equal(transition.frame(1200), true);
  assert.deepEqual(Array.from(transition.current), midway, "no jump when restarting");
  assert.equal(transition.frame(1600), false, "finished after the duration");
  assert.deepEqual(Array.from(transition.current), [0, 0, 1, -1]);
});

test("the view box frames the bulk of the real probe set at every snapshot, ignoring stray digits", async () => {
  const manifest = await loadManifest();
  for (const entry of manifest.timeline) {
    const coords = (await loadSnapshot(entry)).get("latent.coords").data;
    const [cx, cy, half] = viewBox(coords);
    let inside = 0;
    for (let i = 0; i < coords.length; i += 2) {
      if (Math.abs(coords[i] - cx) <= half && Math.abs(coords[i + 1] - cy) <= half) inside++;
    }
    assert.ok(inside >= 0.97 * (coords.length / 2), `${entry.id}: only ${inside} points inside`);
    assert.ok(half > 0 && half <= 1.2, `${entry.id}: half side ${half}`);
  }
  // 999 digits in a tight cluster and one far away: the cluster fills the view.
  const clustered = new Float32Array(2000).map((_, i) => (i % 2 ? 0.01 : -0.01) * ((i * 37) % 11));
  clustered[1998] = 50;
  const [, , half] = viewBox(clustered);
  assert.ok(half < 0.2, `the outlier did not blow up the view (half side ${half})`);
});

test("keyboard browsing picks the nearest point within 45° of the arrow's direction", () => {
  //            0       1       2        3        4
  const coords = [0, 0, 1, 0.2, 3, 0, 0.5, 0.9, -1, -0.1];
  assert.equal(nearestInDirection(coords, 0, 1, 0), 1, "right: the close one slightly up");
  assert.equal(nearestInDirection(coords, 0, 0, 1), 3, "up: (0.5, 0.9) is within 45° of straight up");
  assert.equal(nearestInDirection(coords, 0, -1, 0), 4);
  assert.equal(nearestInDirection(coords, 0, 0, -1), -1, "nothing below");
  assert.equal(
    nearestInDirection(coords, 0, 1, 0, (i) => i !== 1),
    2,
    "skips filtered points",
  );
});
