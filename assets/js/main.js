// Creates the page's parts, connects them and starts: user input → app actions → one app
// state → every view's update(state, changed) in the next animation frame (app/app.js).
import { App } from "./app/app.js";
import { isKiosk, startKiosk } from "./app/kiosk.js";
import { connectDisplay, pageRole, startPadPage } from "./app/pad-roles.js";
import { padViews } from "./app/pad-views.js";
import { readLink, ShareLink } from "./app/share-link.js";
import { checkUrlStateAgainstManifest, encodeUrlState } from "./app/url-state.js";
import { loadManifest } from "./data/export-loader.js";
import { isLocalExport, openLocalFiles } from "./data/local-files.js";
import { SnapshotStore } from "./data/snapshot-store.js";
import { language, pickLanguage, setLanguage } from "./i18n/i18n.js";
import { minFpsFrom } from "./model/frame-guard.js";
import { preprocess, rawDownsample } from "./model/preprocess.js";
import { ErrorBanner } from "./panels/banner.js";
import { DrawPad } from "./panels/draw-pad.js";
import { ExportSummary } from "./panels/export-summary.js";
import { InputPreview } from "./panels/input-preview.js";
import { createInsightViews } from "./panels/insights/insights-panel.js";
import { KeyboardNavigation } from "./panels/keyboard-navigation.js";
import { LocalExport } from "./panels/local-export.js";
import { ModelSwitch } from "./panels/model-switch.js";
import { NeuronPanel } from "./panels/neuron-panel.js";
import { OverviewPanel } from "./panels/overview-panel.js";
import { SceneDescription } from "./panels/scene-description.js";
import { SettingsPanel } from "./panels/settings-panel.js";
import { TimelineBar } from "./panels/timeline-bar.js";
import { TourPanel } from "./panels/tour-panel.js";
import { connectLanguageSwitch, translatePage } from "./panels/translate-page.js";
import { FrameGuardView } from "./scene/frame-guard-view.js";
import { NetworkView } from "./scene/network-view.js";
import { NeuronPicker } from "./scene/picking.js";
import { Stage } from "./scene/stage.js";
import { TourScene } from "./scene/tour-scene.js";

const $ = (id) => document.getElementById(id);
// A museum kiosk (?kiosk, or #kiosk in a link): nothing leads away, idle → the attract loop.
const kiosk = isKiosk(location);

// The language first: every view is built in it (?lang=de, else a shared link's #lang=de,
// else the browser's languages).
const askedLanguage = new URLSearchParams(location.search).get("lang") ?? new URLSearchParams(location.hash.slice(1)).get("lang");
setLanguage(pickLanguage(askedLanguage, navigator.languages ?? []));
translatePage(document);
connectLanguageSwitch($("lang"), { location, onChange: (href) => location.assign(href) });

const banner = new ErrorBanner($("error"), $("error-lead"), $("error-dismiss"), $("error-retry"), $("error-text"));
const notice = new ErrorBanner($("notice"), $("notice-text"), $("notice-dismiss")); // calm: nothing is broken
const role = pageRole(location.search); // ?role=pad|display: a pad on another screen or device
if (role) document.body.dataset.role = role;
// A pad window is the pad only: the rest of this file, the 3D page, is never built in it.
if (role === "pad") await startPadPage(document, location, { banner, notice });
const stage = new Stage($("network"), $("network-labels"));
const settingsPanel = new SettingsPanel(document, { onChange: (values) => app.changeSettings(values) });
const readInk = (mode, shape) => (mode === "raw" ? rawDownsample : preprocess)(pad.ink, pad.width, pad.height, shape);
const app = new App(settingsPanel.read(), {
  requestFrame: () => stage.requestRender(),
  reportError: (message, detail, retry) => banner.show(message, { detail, retry }),
  readInk,
  // A kiosk replays the whole timeline every attract cycle, for days: keeping every snapshot
  // decoded (about 16 MB for the MLP) means none is fetched, hashed and decoded again.
  snapshotCapacity: kiosk ? Number.POSITIVE_INFINITY : undefined,
});
// The pad reports ink at once (a blank pad), so it comes after the app.
const pad = new DrawPad($("draw-pad"), { onChange: () => app.inkChanged() });

const network = new NetworkView(
  stage,
  { bar: document.querySelector(".legend-bar"), text: $("legend-text") },
  {
    onSelect: (layer, index) => app.selectNeuron({ layer, index }),
    connections: new URLSearchParams(location.search).get("connections") ?? "gpu", // ?connections=cpu: the CPU reference
  },
);
const picker = new NeuronPicker($("network"), network, {
  onHover: (neuron) => app.hoverNeuron(neuron),
  onSelect: (neuron) => app.selectNeuron(neuron),
  requestFrame: () => stage.requestRender(),
  hasSelection: () => app.state.selected !== null,
});
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
  { onScrub: (index) => app.setSnapshot(index), onEngage: () => app.engageTimeline() },
);
// What entering a tour step does to the rest of the page.
const tourEffects = {
  "replay-training": () => {
    app.engageTimeline();
    timeline.stop();
    timeline.jump(0);
    timeline.start();
  },
  "show-latent-map": () => {
    document.querySelector('#insights .ins-tab[data-tab="latent"]')?.click();
    $("insights").scrollIntoView({ block: "nearest" });
  },
};
const tour = new TourPanel(
  { start: $("tour-start"), host: document.querySelector(".stage") },
  {
    onStart: (step) => app.startTour(step),
    onNext: () => app.nextStep(),
    onBack: () => app.previousStep(),
    onGoTo: (step) => app.goToStep(step),
    onClose: () => app.endTour(),
    onEffect: (effect) => tourEffects[effect]?.(),
  },
);
const share = new ShareLink({ button: $("copy-link"), field: $("share-url"), status: $("share-status") }, () => ({
  export: isLocalExport(app.state.exportPath) ? undefined : app.state.exportPath, // a local export's files cannot travel in a link
  snapshot: app.state.snapshot?.entry.id,
  drawing: app.state.pixels,
  camera: stage.userMoved ? { position: stage.camera.position.toArray(), target: stage.controls.target.toArray() } : null,
  selected: app.state.selected,
  tour: app.state.tour ? app.state.tour.step + 1 : null,
  lang: language(),
  kiosk,
}));

app.addViews(
  ...padViews(document, { app, pad, banner }),
  network,
  new KeyboardNavigation($("network"), $("network-focus"), {
    onFocus: (neuron) => app.hoverNeuron(neuron),
    onSelect: (neuron) => app.selectNeuron(neuron),
  }),
  new TourScene(stage, network), // after the network view, which lays the neurons out
  new SceneDescription($("network-description")),
  tour,
  new InputPreview($("preview"), $("preview-note")),
  timeline,
  new NeuronPanel($("neuron-panel")),
  new OverviewPanel($("overview")),
  settingsPanel,
  new ExportSummary({ name: $("export-name"), parameterCount: $("parameter-count") }),
  // Switching opens the other export with the same drawing (and snapshot id, if it has it).
  new ModelSwitch($("model-switch"), {
    onSwitch: (exportPath) => {
      const hash = encodeUrlState({ snapshot: app.state.snapshot?.entry.id, drawing: app.state.pixels });
      location.assign(`${location.pathname}?export=${encodeURIComponent(exportPath).replaceAll("%2F", "/")}${hash === "#" ? "" : hash}`);
    },
  }),
  // The latent map, training curves, confusion (in #insights), saliency over the preview and
  // the selected first-layer neuron's weights (in the neuron details).
  ...createInsightViews($("insights"), app, {
    preview: $("preview"),
    toggleContainer: document.querySelector(".sees-image"),
    neuronContainer: $("neuron-weights"),
  }),
  share,
);
if (role === "display") connectDisplay(document, location, { app, pad, notice });

/**
 * An export from the local disk replaces the one shown only once its manifest and the snapshot
 * to show are loaded and checked: a broken one leaves the banner and the page as it was.
 */
async function openLocal(entries) {
  try {
    const { url, exportPath } = openLocalFiles(entries);
    const manifest = await loadManifest(url);
    const store = new SnapshotStore(manifest);
    const same = manifest.timeline.findIndex((entry) => entry.id === app.state.snapshot?.entry.id);
    const first = same >= 0 ? same : manifest.timeline.length - 1;
    await store.load(first);
    banner.clear();
    app.openExport(manifest, exportPath, first, store);
  } catch (error) {
    banner.show({ key: "error.manifest" }, { detail: error });
  }
}
// A kiosk opens no file dialogs and takes no drops.
if (!kiosk) {
  new LocalExport(
    { button: $("open-export"), input: $("open-export-input"), target: document.body },
    { onFiles: openLocal, onError: (message) => banner.show(message) },
  );
}

stage.controls.addEventListener("change", () => share.schedule());
// A link pasted into this very tab only changes the hash: open it as a fresh page.
// (replaceState, used for the link's own writes, fires no hashchange.)
addEventListener("hashchange", () => location.reload());
$("reset-view").addEventListener("click", () => stage.resetView());
stage.onBeforeRender = () => {
  pad.render();
  picker.flush();
  app.flush();
};
// Automated browsers (the tests) keep full detail unless ?min-fps= asks for the guard.
const frameGuard = new FrameGuardView(stage, network, $("frame-guard-status"), {
  minFps: minFpsFrom(location.search),
  enabled: !navigator.webdriver || new URLSearchParams(location.search).has("min-fps"),
  onChange: () => app.mark("settings"),
});
stage.onAfterRender = (time) => {
  frameGuard.frame(time);
  if (app.state.snapshot && document.body.dataset.ready !== "true") document.body.dataset.ready = "true";
};
app.mark("settings");

if (kiosk) startKiosk(document, location, { app, pad, stage, timeline, share });

async function start() {
  if (location.protocol === "file:") {
    // Browsers do not let a page opened from disk fetch its own files.
    banner.show({ key: "error.file" });
    return;
  }
  let link;
  let manifest;
  try {
    link = readLink(location);
    manifest = await loadManifest(link.exportUrl);
  } catch (error) {
    // A refused link cannot get better by retrying; a manifest that did not arrive can.
    banner.show({ key: link ? "error.manifest" : "error.link" }, { detail: error, retry: link ? start : null });
    return;
  }
  const shared = checkUrlStateAgainstManifest(link.state, manifest);
  const notices = [...link.notices, ...shared.notices];
  if (notices.length) notice.show(notices.join(" "));
  const wanted = manifest.timeline.findIndex((entry) => entry.id === shared.state.snapshot);
  app.openExport(manifest, link.exportPath, wanted >= 0 ? wanted : manifest.timeline.length - 1);
  const { drawing, selected, camera } = shared.state;
  if (drawing) app.loadDigit(drawing, "link");
  if (selected) app.selectNeuron(selected);
  if (camera) stage.setView(camera.position, camera.target);
  if (shared.state.tour) app.startTour(shared.state.tour - 1);
}

start();
