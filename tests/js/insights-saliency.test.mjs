import assert from "node:assert/strict";
import { test } from "node:test";
import { argmax, MLP } from "../../assets/js/model/mlp.js";
import { normalise } from "../../assets/js/model/preprocess.js";
import { SaliencyComputer } from "../../assets/js/model/saliency.js";
import { loadManifest, loadProbe, loadSnapshot } from "./insights-export.mjs";

/** Which hidden units are on (one bit per unit): the ReLU pattern the forward pass took. */
function reluPattern(result) {
  return result.preActivations
    .slice(0, -1)
    .map((pre) => Array.from(pre, (v) => v > 0).join(""))
    .join("|");
}

/**
 * The MLP is piecewise linear: while no ReLU switches, nudging pixel j by h changes the
 * logit by exactly h × gradient[j]. Checks every ink pixel and a spread of paper pixels.
 */
function checkAgainstFiniteDifferences(manifest, mlp, pixels, classIndex) {
  const input = manifest.model.input;
  const base = mlp.forward(normalise(pixels, input));
  const basePattern = reluPattern(base);
  const baseLogit = base.logits[classIndex];
  const computer = new SaliencyComputer(mlp);
  const saliency = computer.compute(mlp, mlp.forward(normalise(pixels, input)), pixels, input.std, classIndex);
  assert.equal(saliency.classIndex, classIndex);
  const gradient = Float32Array.from(saliency.gradient);
  const map = Float32Array.from(saliency.map);

  const h = 1e-3;
  // float32 logits carry ~1e-6 relative noise; divided by h it stays below 0.5% of the
  // gradient's scale, while any real backprop error (a wrong mask, a missing 1/std) is larger.
  const tolerance = 5e-3 * Math.max(...Array.from(gradient, Math.abs));
  let checked = 0;
  let candidates = 0;
  for (let j = 0; j < 784; j++) {
    if (pixels[j] === 0 && j % 7 !== 0) continue;
    candidates++;
    const nudged = Float32Array.from(pixels);
    nudged[j] += pixels[j] > 0.5 ? -h : h; // stay inside 0..1
    const step = nudged[j] - pixels[j];
    const result = mlp.forward(normalise(nudged, input));
    if (reluPattern(result) !== basePattern) continue; // crossed a kink: not a linear step
    const finiteDifference = (result.logits[classIndex] - baseLogit) / step;
    assert.ok(
      Math.abs(finiteDifference - gradient[j]) < tolerance,
      `pixel ${j}: backprop ${gradient[j]}, finite difference ${finiteDifference}`,
    );
    checked++;
  }
  assert.ok(checked > 0.9 * candidates, `only ${checked} of ${candidates} nudges stayed in one linear piece`);
  assert.ok(tolerance > 1e-5, "the gradient is not trivially zero");
  for (let j = 0; j < 784; j++) {
    assert.ok(Math.abs(map[j] - gradient[j] * pixels[j]) < 1e-6, "map = gradient × pixel");
    if (pixels[j] === 0) assert.ok(map[j] === 0, "blank paper gets no credit");
  }
  assert.equal(saliency.maxAbs, Math.max(...Array.from(map, Math.abs)));
  return saliency;
}

test("saliency gradient of the class logit matches finite differences (trained and untrained network)", async () => {
  const manifest = await loadManifest();
  const probe = await loadProbe(manifest);
  for (const entry of [manifest.timeline.at(-1), manifest.timeline[0]]) {
    const mlp = new MLP(await loadSnapshot(entry));
    for (const digit of [0, 7]) {
      const pixels = probe.pixels(probe.labels.indexOf(digit));
      const predicted = argmax(mlp.forward(normalise(pixels, manifest.model.input)).logits);
      checkAgainstFiniteDifferences(manifest, mlp, pixels, predicted);
      checkAgainstFiniteDifferences(manifest, mlp, pixels, (predicted + 3) % 10); // a given class
    }
  }
});

test("saliency defaults to the predicted class and reuses its buffers", async () => {
  const manifest = await loadManifest();
  const probe = await loadProbe(manifest);
  const mlp = new MLP(await loadSnapshot(manifest.timeline.at(-1)));
  const computer = new SaliencyComputer(mlp);
  const input = manifest.model.input;
  const first = computer.compute(mlp, mlp.forward(normalise(probe.pixels(3), input)), probe.pixels(3), input.std);
  assert.equal(first.classIndex, argmax(mlp.result.logits));
  const second = computer.compute(mlp, mlp.forward(normalise(probe.pixels(500), input)), probe.pixels(500), input.std);
  assert.equal(second.map, first.map, "same preallocated buffer");
  assert.throws(() => computer.compute(mlp, mlp.result, new Float32Array(10), input.std), /expected 784 pixels/);
  assert.throws(() => computer.compute(mlp, mlp.result, probe.pixels(0), input.std, 10), /class 10 is not in 0\.\.9/);
});
