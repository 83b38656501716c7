import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeUrlState, encodeUrlState } from "../../assets/js/app/url-state.js";
import { formatPercent, pickLanguage, setLanguage, t } from "../../assets/js/i18n/i18n.js";
import { argmax, MLP } from "../../assets/js/model/mlp.js";
import { normalise } from "../../assets/js/model/preprocess.js";
import { clampStep, emphasisFor, mostActiveNeuron, resolveLayer, TOUR_STEPS, tourFacts } from "../../assets/js/model/tour-steps.js";
import { stepParams } from "../../assets/js/panels/tour-panel.js";
import { loadManifest, loadProbe, loadSnapshot } from "./insights-export.mjs";

test("the tour has about eight steps, each with unique id, words in every language, a camera and an effect it knows", () => {
  assert.ok(TOUR_STEPS.length >= 8 && TOUR_STEPS.length <= 10);
  assert.equal(new Set(TOUR_STEPS.map((step) => step.id)).size, TOUR_STEPS.length);
  assert.deepEqual(
    TOUR_STEPS.map((step) => step.id),
    ["input", "neuron", "sum", "layer1", "layer2", "output", "training", "latent", "end"],
  );
  for (const code of ["en", "de"]) {
    setLanguage(code);
    for (const { id, camera, effect, highlight } of TOUR_STEPS) {
      for (const part of ["title", "text"]) assert.notEqual(t(`tour.${id}.${part}`), `tour.${id}.${part}`, `${code}: tour.${id}.${part}`);
      assert.ok(camera === "home" || Number.isInteger(camera) || (Array.isArray(camera) && camera.length === 2), id);
      assert.ok([null, "select-neuron", "replay-training", "show-latent-map"].includes(effect), id);
      assert.ok(highlight === null || highlight.every(Number.isInteger), id);
    }
  }
  setLanguage("en");
});

test("steps are clamped, layers resolve from the end, emphasis names real layers", () => {
  assert.equal(clampStep(-3), 0);
  assert.equal(clampStep(99), TOUR_STEPS.length - 1);
  assert.equal(clampStep("2"), 2);
  assert.equal(clampStep(Number.NaN), 0);
  assert.equal(resolveLayer(-1, 4), 3);
  assert.equal(resolveLayer(-2, 4), 2);
  assert.equal(resolveLayer(5, 4), 3);
  const byId = Object.fromEntries(TOUR_STEPS.map((step, i) => [step.id, emphasisFor(i, 4)]));
  assert.deepEqual(byId, {
    input: [0],
    neuron: [1],
    sum: [0, 1],
    layer1: [1],
    layer2: [2],
    output: [3],
    training: null,
    latent: [2],
    end: null,
  });
  assert.deepEqual(emphasisFor(4, 3), [2], "one hidden layer: the 'next layer' step shows the output");
});

test("#tour=N round-trips and a step outside the tour is dropped with a notice", () => {
  const hash = encodeUrlState({ export: "exports/mlp_weights.json", tour: 3 });
  assert.equal(hash, "#export=exports/mlp_weights.json&tour=3");
  assert.deepEqual(decodeUrlState(hash), { state: { export: "exports/mlp_weights.json", tour: 3 }, notices: [] });
  for (const bad of ["0", "10", "-1", "2.5", "x", "", "123"]) {
    const { state, notices } = decodeUrlState(`#tour=${bad}`);
    assert.equal(state.tour, undefined, bad);
    assert.equal(notices.length, 1, bad);
    assert.match(notices[0], /tour has steps 1 to 9/);
  }
  assert.equal(encodeUrlState({ tour: null }), "#");
});

test("the words quote the drawing's real numbers: the most active neuron, its sum = weights · input + bias, ReLU, softmax", async () => {
  const manifest = await loadManifest();
  const entry = manifest.timeline.at(-1);
  const network = new MLP(await loadSnapshot(entry));
  const probe = await loadProbe(manifest);
  const pixels = probe.pixels(7);
  const input = normalise(pixels, manifest.model.input, new Float32Array(784));
  const result = network.forward(input);
  const facts = tourFacts({ manifest, snapshot: { network, entry }, result });
  const neuron = mostActiveNeuron(result);
  assert.equal(neuron, argmax(result.activations[1]));
  assert.equal(facts.neuron, neuron + 1);
  // Recompute the neuron's sum independently from its weights.
  const { weight, bias, inSize } = network.layers[0];
  let dot = 0;
  for (let k = 0; k < inSize; k++) dot += weight[neuron * inSize + k] * input[k];
  assert.ok(Math.abs(facts.dot - dot) < 1e-3, `${facts.dot} vs ${dot}`);
  assert.ok(Math.abs(facts.sum - (dot + bias[neuron])) < 1e-3);
  assert.equal(facts.activation, Math.max(0, facts.sum));
  assert.ok(facts.activation > 0, "the most active neuron is on");
  assert.equal(facts.digit, probe.labels[7], "the trained network reads the test digit right");
  assert.ok(facts.confidence > facts.secondConfidence);
  assert.equal(facts.layer1.size, 128);
  assert.equal(facts.layer1.active, result.activations[1].filter((v) => v > 0).length);
  assert.equal(facts.layer2.size, 64);
  assert.equal(facts.layer2.inputs, 128);
  assert.equal(facts.layer2.active, result.activations[2].filter((v) => v > 0).length);
  assert.equal(facts.parameters, 109386);
  assert.equal(facts.images, entry.images_seen);
  setLanguage("en");
  const text = t("tour.sum.text", stepParams("sum", facts));
  assert.ok(text.includes(`Neuron ${neuron + 1} multiplies`));
  assert.ok(text.includes(facts.sum.toFixed(2)), text);
  assert.doesNotMatch(text, /[{}]|undefined|NaN/);
  // Without a drawing the words still read, with dashes for the numbers.
  const blank = tourFacts({ manifest, snapshot: { network, entry }, result: null });
  for (const { id } of TOUR_STEPS) assert.doesNotMatch(t(`tour.${id}.text`, stepParams(id, blank)), /[{}]|undefined|NaN/, id);
});

test("the language: ?lang= first, then the browser's, then English; German numbers and percentages", () => {
  assert.equal(pickLanguage("de", ["en-GB"]), "de");
  assert.equal(pickLanguage("xx", ["de-AT", "en"]), "de");
  assert.equal(pickLanguage(null, ["fr-FR", "en-US"]), "en");
  assert.equal(pickLanguage(null, []), "en");
  setLanguage("de");
  assert.equal(t("tour.next"), "Weiter");
  assert.equal(t("tour.progress", { step: 3, count: 9 }), "Schritt 3 von 9");
  assert.match(formatPercent(0.981), /^98,1\s%$/);
  assert.equal(t("no.such.key"), "no.such.key");
  setLanguage("en");
  assert.equal(formatPercent(0.981), "98.1%");
});

test("the CNN gets its own tour, as long as the MLP's, quoting its manifest's layers", async () => {
  const { validateManifest } = await import("../../assets/js/data/manifest.js");
  const { readFile } = await import("node:fs/promises");
  const { CNN_TOUR_STEPS, tourSteps } = await import("../../assets/js/model/tour-steps.js");
  const read = async (name) => validateManifest(JSON.parse(await readFile(new URL(`../../exports/${name}`, import.meta.url))), "http://x/");
  const cnn = await read("cnn_weights.json");
  const mlp = await read("mlp_weights.json");
  assert.equal(tourSteps(mlp.model), TOUR_STEPS);
  assert.equal(tourSteps(cnn.model), CNN_TOUR_STEPS);
  assert.equal(CNN_TOUR_STEPS.length, TOUR_STEPS.length, "a #tour=N link means the same step number in both");
  assert.deepEqual(
    CNN_TOUR_STEPS.map((step) => step.id),
    ["input", "conv", "pool", "conv2", "dense", "output", "training", "latent", "end"],
  );
  assert.deepEqual(emphasisFor(4, cnn.model.layer_sizes.length, CNN_TOUR_STEPS), [5, 6], "the flattened maps and the dense layer");
  const facts = tourFacts({ manifest: cnn, snapshot: null, result: null });
  assert.deepEqual(
    { ...facts.cnn, active: undefined },
    {
      maps1: 8,
      kernel1: 5,
      size1: 28,
      window: 2,
      pooled1: 14,
      maps2: 16,
      kernel2: 5,
      pooled2: 7,
      flat: 784,
      hidden: 64,
      active: undefined,
    },
  );
  assert.equal(facts.parameters, 54314);
  for (const language of ["en", "de"]) {
    setLanguage(language);
    for (const { id } of CNN_TOUR_STEPS) assert.doesNotMatch(t(`tour.${id}.text`, stepParams(id, facts)), /[{}]|undefined|NaN/, id);
  }
  setLanguage("en");
});
