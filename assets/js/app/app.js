// The one app state, the actions that change it, and the frame that hands the change
// to every view. The flow is one way: user input → an action → state → views, each view
// getting update(state, changed) with `changed` naming the keys that moved:
//
//   manifest   a new export was opened (state.manifest, state.exportPath)
//   timeline   where the timeline points, or that its snapshot failed (state.timeline)
//   snapshot   the snapshot shown changed (state.snapshot: index, entry, network, tensors)
//   pixels     the input changed (state.pixels, state.source)
//   result     the forward pass was recomputed (state.result; the network reuses its buffers)
//   focus      the hovered or selected neuron changed
//   settings   connections shown, threshold, brush size or input mode changed
//   tour       the guided tour opened, closed or moved to another step (state.tour)
//   emphasis   the layers shown at full strength changed (state.emphasis; null = all)
//
// Changes are applied in the next animation frame, so the forward pass, the recolouring
// and the 3D render of a stroke all land in the same frame.

import { ProbeDigits } from "../data/probe-digits.js";
import { SnapshotStore } from "../data/snapshot-store.js";
import { normalise } from "../model/preprocess.js";
import { clampStep, emphasisFor, mostActiveNeuron, tourSteps } from "../model/tour-steps.js";

/** The app state: everything the views show, in one place. */
export function createState(settings) {
  return {
    manifest: null,
    exportPath: "", // the manifest as the page's link names it
    timeline: {
      requested: 0, // the index the timeline points at (its snapshot may still be loading)
      failed: false, // the requested snapshot could not be loaded; the last good one stays
      engaged: false, // neighbours are prefetched only once someone reaches for the timeline
    },
    snapshot: null, // the snapshot shown, the last good one: { index, entry, network, tensors, … }
    inkPending: false, // the pad has ink not yet turned into pixels (done once per frame, once the manifest is known)
    pixels: null, // the network's input image, ink 0..1, or null while the pad is blank
    source: "pad", // "pad", "digit" (a real test digit) or "link" (a shared drawing)
    input: null, // pixels normalised as in training (valid when pixels is set)
    result: null, // the forward pass for pixels, or null
    selected: null, // { layer, index } clicked in the 3D view (layer 0 = input)
    hovered: null, // { layer, index } under the mouse
    settings, // { topK, threshold, brushSize, inputMode }
    tour: null, // the guided tour: { step (0-based), loadedDigit (the digit it put on a blank pad, or null) } | null
    emphasis: null, // the layers the 3D view shows at full strength (the rest dimmed), or null for all
  };
}

export class App {
  /**
   * @param {object} settings the initial settings (read from the settings panel)
   * @param {{requestFrame: () => void, reportError: (message: {key: string}, detail: Error, retry?: () => void) => void,
   *          readInk: (mode: string, shape: number[]) => Float32Array|null}} hooks
   *   requestFrame schedules the next frame; readInk turns the pad's ink into the input
   *   image of `shape` [rows, columns] (manifest.model.input.shape); snapshotCapacity is how
   *   many decoded snapshots an export's store keeps (data/snapshot-store.js's default if absent).
   */
  constructor(settings, { requestFrame, reportError, readInk, snapshotCapacity }) {
    this.state = createState(settings);
    this.views = [];
    this.changed = new Set();
    this.store = null;
    this.requestFrame = requestFrame;
    this.reportError = reportError;
    this.readInk = readInk;
    this.snapshotCapacity = snapshotCapacity;
  }

  /** Views get update(state, changed) once per frame in which something changed. */
  addViews(...views) {
    this.views.push(...views);
  }

  mark(...keys) {
    for (const key of keys) this.changed.add(key);
    this.requestFrame();
  }

  /** Runs at the start of every animation frame, before the 3D render. */
  flush() {
    const { state } = this;
    // The ink becomes an image of the model's input shape, so it waits for the manifest.
    if (state.inkPending && state.manifest) {
      state.inkPending = false;
      state.pixels = this.readInk(state.settings.inputMode, state.manifest.model.input.shape);
      state.source = "pad";
      this.changed.add("pixels");
      this.recompute();
    }
    if (this.changed.size === 0) return;
    const changed = new Set(this.changed);
    this.changed.clear();
    for (const view of this.views) view.update(state, changed);
  }

  recompute() {
    const { state } = this;
    const network = state.snapshot?.network;
    state.result = state.pixels && network ? network.forward(normalise(state.pixels, state.manifest.model.input, state.input)) : null;
    this.changed.add("result");
    // The tour's neuron steps follow the drawing: the most active neuron stays selected.
    if (state.tour && state.result && this.tourStep().effect === "select-neuron") this.selectTourNeuron();
  }

  /** Open the guided tour at `step` (0-based, clamped). A blank pad gets a real test digit, and the tour says so. */
  startTour(step = 0) {
    const { state } = this;
    if (!state.manifest) return; // the button waits for the export: the steps quote its numbers
    state.tour = { step: clampStep(step), loadedDigit: state.tour?.loadedDigit ?? null };
    this.enterTourStep();
    if (state.pixels || !state.manifest?.probe) return;
    const digit = Math.floor(Math.random() * 10);
    new ProbeDigits(state.manifest).take(digit).then(
      ({ pixels }) => {
        if (!state.tour || state.pixels) return; // closed meanwhile, or the visitor drew
        state.tour.loadedDigit = digit;
        this.loadDigit(pixels, "digit");
        this.enterTourStep();
      },
      (error) => this.reportError({ key: "error.probe" }, error),
    );
  }

  nextStep() {
    const { tour } = this.state;
    if (!tour) return;
    if (tour.step === tourSteps(this.state.manifest?.model).length - 1) this.endTour();
    else this.goToStep(tour.step + 1);
  }

  previousStep() {
    const { tour } = this.state;
    if (tour && tour.step > 0) this.goToStep(tour.step - 1);
  }

  goToStep(step) {
    if (!this.state.tour) return;
    this.state.tour.step = clampStep(step);
    this.enterTourStep();
  }

  endTour() {
    const { state } = this;
    if (!state.tour) return;
    state.tour = null;
    state.emphasis = null;
    this.mark("tour", "emphasis");
  }

  enterTourStep() {
    const { state } = this;
    const layerCount = state.manifest ? state.manifest.model.layer_sizes.length : 4;
    state.emphasis = emphasisFor(state.tour.step, layerCount, tourSteps(state.manifest?.model));
    if (this.tourStep().effect === "select-neuron" && state.result) this.selectTourNeuron();
    this.mark("tour", "emphasis");
  }

  /** The open tour's step, as data (the CNN's tour for a CNN). */
  tourStep() {
    return tourSteps(this.state.manifest?.model)[this.state.tour.step];
  }

  selectTourNeuron() {
    this.selectNeuron({ layer: 1, index: mostActiveNeuron(this.state.result) });
  }

  /**
   * A validated manifest becomes the export on show, at the snapshot `first`; `store` may come
   * with that snapshot loaded already (a local export is checked before it replaces the one shown).
   */
  openExport(manifest, exportPath, first, store = new SnapshotStore(manifest, { capacity: this.snapshotCapacity })) {
    const { state } = this;
    state.manifest = manifest;
    state.exportPath = exportPath;
    state.input = new Float32Array(manifest.model.layer_sizes[0]);
    state.selected = null; // neuron numbers belong to the network they were chosen in
    state.hovered = null;
    this.store = store;
    this.mark("manifest", "focus");
    this.setSnapshot(first);
  }

  /** The pad has new ink: it becomes the input in the next frame. */
  inkChanged() {
    this.state.inkPending = true;
    this.requestFrame();
  }

  /** Show an input image (ink 0..1) exactly as given: a real test digit, or a shared drawing. */
  loadDigit(pixels, source = "digit") {
    const { state } = this;
    state.inkPending = false;
    state.pixels = Float32Array.from(pixels);
    state.source = source;
    this.recompute();
    this.mark("pixels");
  }

  /** Move the timeline to snapshot `index`; the newest snapshot that arrives is shown. */
  setSnapshot(index) {
    const { store, state } = this;
    if (!store) return;
    state.timeline.requested = index;
    this.mark("timeline");
    const cached = store.cached(index);
    if (cached) {
      store.show(index); // keeps the stale-answer bookkeeping in step
      this.showSnapshot(cached);
      return;
    }
    // An answer from the store of an export since replaced (app/open-export.js) is dropped.
    store.show(index).then(
      (snapshot) => snapshot && this.store === store && this.showSnapshot(snapshot),
      (error) => {
        if (this.store !== store) return;
        state.timeline.failed = true;
        this.reportError({ key: "error.snapshot" }, error, () => this.setSnapshot(this.state.timeline.requested));
        this.mark("timeline");
      },
    );
  }

  showSnapshot(snapshot) {
    const { state } = this;
    state.snapshot = snapshot;
    state.timeline.failed = false;
    this.recompute();
    this.mark("snapshot", "timeline");
    if (state.timeline.engaged) this.store.prefetch(snapshot.index);
  }

  /** Until someone reaches for the timeline, only the snapshot shown is downloaded. */
  engageTimeline() {
    const { state } = this;
    state.timeline.engaged = true;
    if (state.snapshot) this.store.prefetch(state.snapshot.index);
  }

  /** Select a neuron ({ layer, index }) for the detail panel, or null to clear. */
  selectNeuron(neuron) {
    this.state.selected = neuron ? { layer: neuron.layer, index: neuron.index } : null;
    this.mark("focus");
  }

  /** The neuron under the mouse (its connections are shown alone), or null. */
  hoverNeuron(neuron) {
    const { hovered } = this.state;
    if (neuron?.layer === hovered?.layer && neuron?.index === hovered?.index) return;
    this.state.hovered = neuron ?? null;
    this.mark("focus");
  }

  changeSettings(values) {
    const { state } = this;
    const modeChanged = values.inputMode !== undefined && values.inputMode !== state.settings.inputMode;
    Object.assign(state.settings, values);
    if (modeChanged && state.source === "pad") state.inkPending = true;
    this.mark("settings");
  }
}
