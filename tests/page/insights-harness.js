// Mounts the insight views on the real default export without the page, so they can be
// looked at and driven by Playwright. Query: ?snapshot=<index>&digit=<probe row>
// &neuron=<layer.index>&tab=<latent|training|confusion>&saliency=1&width=<px>.
// window.harness exposes the state, the panel and the actions once `ready` resolves.
import { loadManifest } from "../../assets/js/export-loader.js";
import { SnapshotStore } from "../../assets/js/snapshot-store.js";
import { normalise } from "../../assets/js/preprocess.js";
import { argmax } from "../../assets/js/mlp.js";
import { createInsightViews } from "../../assets/js/insights/insights-panel.js";
import { loadSampleSet } from "../../assets/js/insights/sample-sets.js";
import { digitCanvas } from "../../assets/js/insights/canvas.js";

const query = new URLSearchParams(location.search);
const slider = document.getElementById("snapshot");
const preview = document.getElementById("preview");
if (query.has("width")) document.documentElement.style.setProperty("--insights-width", `${Number(query.get("width"))}px`);

const state = { manifest: null, snapshotIndex: 0, snapshot: null, mlp: null, pixels: null, input: null, result: null, selected: null };
const log = { loadDigit: 0, setSnapshot: [] };
let store;
let panel;
let overlay;

function push() {
  if (state.pixels && state.mlp) {
    state.input = normalise(state.pixels, state.manifest.model.input, state.input ?? undefined);
    state.result = state.mlp.forward(state.input);
  } else {
    state.input = null;
    state.result = null;
  }
  preview.getContext("2d").clearRect(0, 0, 28, 28);
  if (state.pixels) digitCanvas(Uint8Array.from(state.pixels, (p) => p * 255), preview);
  document.getElementById("prediction").textContent = state.result
    ? `Prediction: ${argmax(state.result.logits)} (${(Math.max(...state.result.activations.at(-1)) * 100).toFixed(1)}%)`
    : "Pad is blank";
  panel.update(state);
  overlay.update(state);
}

const actions = {
  loadDigit(pixels) {
    log.loadDigit++;
    state.pixels = pixels;
    push();
  },
  async setSnapshot(index) {
    log.setSnapshot.push(index);
    const snapshot = await store.show(index);
    if (!snapshot) return; // superseded by a later request
    state.snapshotIndex = index;
    state.snapshot = snapshot.tensors;
    state.mlp = snapshot.mlp;
    slider.value = String(index);
    document.getElementById("snapshot-label").textContent = snapshot.entry.label;
    push();
  },
  selectNeuron(layer, index) {
    state.selected = { layer, index };
    push();
  },
};

async function start() {
  state.manifest = await loadManifest(new URL("../../exports/mlp_weights.json", location.href).href);
  store = new SnapshotStore(state.manifest);
  slider.max = String(state.manifest.timeline.length - 1);
  slider.addEventListener("input", () => actions.setSnapshot(Number(slider.value)));
  [panel, overlay] = createInsightViews(document.getElementById("insights"), actions, {
    preview,
    toggleContainer: document.getElementById("toggles"),
  });
  overlay.setEnabled(query.get("saliency") === "1");
  if (query.has("tab")) panel.selectTab(query.get("tab"));
  if (query.has("neuron")) {
    const [layer, index] = query.get("neuron").split(".").map(Number);
    state.selected = { layer, index };
  }
  if (query.has("digit")) {
    const probe = await loadSampleSet(state.manifest.probe.url);
    state.pixels = probe.pixels(Number(query.get("digit")));
  }
  await actions.setSnapshot(Number(query.get("snapshot") ?? state.manifest.timeline.length - 1));
}

window.harness = { state, actions, log, get panel() { return panel; }, get overlay() { return overlay; }, ready: start() };
window.harness.ready.catch((error) => {
  document.getElementById("notices").textContent = error.message;
  throw error;
});
