// Wires the page: user input → actions → one app state → every view (one way).
// Each change is applied in the next animation frame: the forward pass, the
// recolouring and the 3D render of a stroke all land in the same frame.

import { readLink, ShareLink } from "./app/share-link.js";
import { checkUrlStateAgainstManifest } from "./app/url-state.js";
import { loadManifest } from "./data/export-loader.js";
import { ProbeDigits } from "./data/probe-digits.js";
import { displayPath, SnapshotStore } from "./data/snapshot-store.js";
import { normalise, preprocess, rawDownsample } from "./model/preprocess.js";
import { ErrorBanner } from "./panels/banner.js";
import { DrawPad } from "./panels/draw-pad.js";
import { InputPreview } from "./panels/input-preview.js";
import { createInsightViews } from "./panels/insights/insights-panel.js";
import { NeuronPanel } from "./panels/neuron-panel.js";
import { OverviewPanel } from "./panels/overview-panel.js";
import { ProbabilityBars } from "./panels/probability-bars.js";
import { SettingsPanel } from "./panels/settings-panel.js";
import { TimelineBar } from "./panels/timeline-bar.js";
import { NetworkView } from "./scene/network-view.js";
import { NetworkScene } from "./scene/stage.js";

const $ = (id) => document.getElementById(id);

const state = {
  manifest: null,
  requestedIndex: 0, // where the timeline points
  snapshot: null, // the snapshot shown (the last good one)
  snapshotIndex: -1, // its index in manifest.timeline
  snapshotFailed: false,
  mlp: null,
  pixels: null, // the 28×28 input, ink 0..1, or null while the pad is blank
  source: "pad", // "pad", "digit" (a real test digit loaded by a button or an insight view) or "link" (a shared drawing)
  input: new Float32Array(784), // pixels normalised as in training (valid when pixels is set)
  result: null, // the forward pass for pixels, or null
  selected: null, // { layer, index } clicked in the 3D view
  hovered: null,
  settings: { topK: 16, threshold: 0.03, brushSize: 24, inputMode: "processed" },
};

let store = null;
let probe = null;
let exportPath = "";
let inkDirty = false;
let timelineEngaged = false; // neighbours are prefetched only once the timeline is in use
const changed = new Set();

const banner = new ErrorBanner($("error"), $("error-text"), $("error-dismiss"));
const notice = new ErrorBanner($("notice"), $("notice-text"), $("notice-dismiss")); // calm: nothing is broken
const scene = new NetworkScene($("network"), $("network-labels"));
const network = new NetworkView(
  scene,
  { bar: document.querySelector(".legend-bar"), text: $("legend-text") },
  { onSelect: (layer, index) => actions.selectNeuron(layer, index) },
);
const pad = new DrawPad($("draw-pad"), { onChange: () => markInk() });
const settingsPanel = new SettingsPanel(document, { onChange: (values) => changeSettings(values) });
const timeline = new TimelineBar(
  {
    container: $("timeline-bar"),
    range: $("timeline"),
    play: $("play"),
    label: $("timeline-label"),
    status: $("timeline-status"),
    accuracy: $("timeline-accuracy"),
    sparkline: $("timeline-sparkline"),
  },
  { onScrub: (index) => actions.setSnapshot(index), onEngage: () => engageTimeline() },
);

// Every view gets update(state, changed) after each change; `changed` names the state keys that moved.
const views = [
  network,
  new ProbabilityBars($("probability-bars"), $("prediction")),
  new InputPreview($("preview"), $("preview-note")),
  timeline,
  new NeuronPanel($("neuron-panel")),
  new OverviewPanel($("overview")),
  settingsPanel,
];

const share = new ShareLink({ button: $("copy-link"), field: $("share-url"), status: $("share-status") }, () => ({
  export: exportPath,
  snapshot: state.snapshot?.entry.id,
  drawing: state.pixels,
  camera: scene.userMoved ? { position: scene.camera.position.toArray(), target: scene.controls.target.toArray() } : null,
  selected: state.selected,
}));
scene.controls.addEventListener("change", () => share.schedule());

function markInk() {
  inkDirty = true;
  scene.requestRender();
}

function update(...keys) {
  for (const key of keys) changed.add(key);
  scene.requestRender();
}

function recompute() {
  state.result = state.pixels && state.mlp ? state.mlp.forward(normalise(state.pixels, state.manifest.model.input, state.input)) : null;
  changed.add("result");
}

/** Runs at the start of every animation frame, before the 3D render. */
function flush() {
  pad.render();
  if (inkDirty) {
    inkDirty = false;
    const pick = state.settings.inputMode === "raw" ? rawDownsample : preprocess;
    state.pixels = pick(pad.ink, pad.width, pad.height);
    state.source = "pad";
    changed.add("pixels");
    recompute();
  }
  if (pointer.pending) pickHover();
  if (changed.size === 0) return;
  $("pad-hint").hidden = state.pixels !== null;
  const keys = new Set(changed);
  changed.clear();
  for (const view of views) view.update(state, keys);
  if (keys.has("snapshot") || keys.has("pixels") || keys.has("focus")) share.schedule();
}

function applySnapshot(snapshot) {
  state.snapshot = snapshot;
  state.snapshotIndex = snapshot.index;
  state.mlp = snapshot.mlp;
  state.snapshotFailed = false;
  recompute();
  update("snapshot");
  if (timelineEngaged) store.prefetch(snapshot.index);
}

/** Until someone reaches for the timeline, only the snapshot shown is downloaded. */
function engageTimeline() {
  timelineEngaged = true;
  if (state.snapshot) store.prefetch(state.snapshot.index);
}

const actions = {
  /** Show a 28×28 digit (ink 0..1) exactly as given: a real test digit, or a shared drawing. */
  loadDigit(pixels, source = "digit") {
    pad.showDigit(pixels);
    inkDirty = false;
    state.pixels = Float32Array.from(pixels);
    state.source = source;
    recompute();
    update("pixels");
  },

  /** Move the timeline to snapshot `index`; the newest snapshot that arrives is shown. */
  setSnapshot(index) {
    if (!store) return;
    state.requestedIndex = index;
    update("requested");
    const cached = store.cached(index);
    if (cached) {
      store.show(index); // keeps the stale-answer bookkeeping in step
      applySnapshot(cached);
      return;
    }
    store.show(index).then(
      (snapshot) => snapshot && applySnapshot(snapshot),
      (error) => {
        state.snapshotFailed = true;
        banner.show(error.message);
        update("snapshot");
      },
    );
  },

  /** Select a neuron ({ layer, index }) for the detail panel, or null to clear. */
  selectNeuron(layer, index) {
    state.selected = layer === null || layer === undefined ? null : { layer, index };
    update("focus");
  },
};

// The insight views: latent map, training curves, confusion (in #insights), saliency over the
// preview and the selected first-layer neuron's weights (in the neuron details).
views.push(
  ...createInsightViews($("insights"), actions, {
    preview: $("preview"),
    toggleContainer: document.querySelector(".sees-image"),
    neuronContainer: $("neuron-weights"),
  }),
);

function changeSettings(values) {
  const modeChanged = values.inputMode && values.inputMode !== state.settings.inputMode;
  Object.assign(state.settings, values);
  pad.setBrushSize(state.settings.brushSize);
  if (modeChanged && state.source === "pad") inkDirty = true;
  update("settings");
}

// Pointer on the 3D view: hover focuses a neuron's connections, a click (not a drag) selects it.
const pointer = { pending: false, x: 0, y: 0, downX: 0, downY: 0 };
const canvas = $("network");
canvas.addEventListener("pointermove", (event) => {
  if (event.pointerType !== "mouse" || event.buttons) return;
  Object.assign(pointer, { pending: true, x: event.clientX, y: event.clientY });
  scene.requestRender();
});
canvas.addEventListener("pointerleave", () => {
  pointer.pending = false;
  if (state.hovered) {
    state.hovered = null;
    update("focus");
  }
});
canvas.addEventListener("pointerdown", (event) => Object.assign(pointer, { downX: event.clientX, downY: event.clientY }));
canvas.addEventListener("pointerup", (event) => {
  if (Math.hypot(event.clientX - pointer.downX, event.clientY - pointer.downY) > 6) return; // a drag of the camera
  const hit = network.pick(event.clientX, event.clientY);
  actions.selectNeuron(hit?.layer, hit?.index);
});
function pickHover() {
  pointer.pending = false;
  const hit = network.pick(pointer.x, pointer.y);
  if (hit?.layer !== state.hovered?.layer || hit?.index !== state.hovered?.index) {
    state.hovered = hit;
    changed.add("focus");
  }
}
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && state.selected) actions.selectNeuron(null);
});

$("reset-view").addEventListener("click", () => scene.resetView());
$("clear").addEventListener("click", () => pad.clear());
$("eraser").addEventListener("click", (event) => {
  const on = event.currentTarget.getAttribute("aria-pressed") !== "true";
  event.currentTarget.setAttribute("aria-pressed", String(on));
  pad.setEraser(on);
});
for (const radio of document.querySelectorAll('input[name="input-mode"]')) {
  radio.addEventListener("change", () => changeSettings({ inputMode: radio.value }));
}
const digitButtons = document.querySelector(".digit-buttons");
for (let d = 0; d < 10; d++) {
  const button = document.createElement("button");
  button.type = "button";
  button.id = `digit-${d}`;
  button.textContent = String(d);
  button.setAttribute("aria-label", `Load a real test image of a ${d}`);
  button.addEventListener("click", async () => {
    if (!probe) return;
    try {
      actions.loadDigit((await probe.take(d)).pixels);
    } catch (error) {
      banner.show(error.message);
    }
  });
  digitButtons.append(button);
}

scene.onBeforeRender = flush;
scene.onAfterRender = () => {
  if (state.snapshot && document.body.dataset.ready !== "true") document.body.dataset.ready = "true";
};
changeSettings(settingsPanel.read());

async function start() {
  let link;
  try {
    link = readLink(location);
    state.manifest = await loadManifest(link.exportUrl);
  } catch (error) {
    banner.show(error.message);
    return;
  }
  exportPath = link.exportPath;
  const shared = checkUrlStateAgainstManifest(link.state, state.manifest);
  const notices = [...link.notices, ...shared.notices];
  if (notices.length) notice.show(notices.join(" "));
  $("export-name").textContent = `Export: ${displayPath(link.exportUrl)} · ${state.manifest.timeline.length} snapshots`;
  store = new SnapshotStore(state.manifest);
  probe = new ProbeDigits(state.manifest);
  timeline.setManifest(state.manifest);
  const wanted = state.manifest.timeline.findIndex((entry) => entry.id === shared.state.snapshot);
  const first = wanted >= 0 ? wanted : state.manifest.timeline.length - 1;
  timeline.range.value = String(first);
  actions.setSnapshot(first);
  network.build(state.manifest.model.layer_sizes); // while the snapshot downloads
  restoreSharedView(shared.state);
}

/** A shared link's drawing, neuron and camera (the snapshot is chosen in start). */
function restoreSharedView({ drawing, selected, camera }) {
  if (drawing) actions.loadDigit(drawing, "link");
  if (selected) actions.selectNeuron(selected.layer, selected.index);
  if (camera) scene.setView(camera.position, camera.target);
}

start();
