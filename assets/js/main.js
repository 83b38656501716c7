// Creates the page's parts, connects them and starts: user input → app actions → one app
// state → every view's update(state, changed) in the next animation frame (app/app.js).
import { App } from "./app/app.js";
import { isKiosk, startKiosk } from "./app/kiosk.js";
import { ExportOpener, exportAddress } from "./app/open-export.js";
import { connectDisplay, pageRole, startPadPage } from "./app/pad-roles.js";
import { padViews } from "./app/pad-views.js";
import { PAGE_ENTRY, readLink, ShareLink } from "./app/share-link.js";
import { checkUrlStateAgainstManifest, encodeUrlState } from "./app/url-state.js";
import { exportPathUrl, loadManifest } from "./data/export-loader.js";
import { isLocalExport, openLocalFiles } from "./data/local-files.js";
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
const opener = new ExportOpener(app, banner);
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

// Switching opens the other export in place, with the same drawing (and snapshot id, if it has
// it), and gives it a history entry of its own. Back/forward (fromHistory) has moved the address
// already and asks for the snapshot of its entry.
const modelSwitch = new ModelSwitch($("model-switch"), {
  onSwitch: async (exportPath, { fromHistory = false, snapshot } = {}) => {
    const locate = () => ({ url: exportPathUrl(exportPath, location.href, "?export"), exportPath });
    const opened = await opener.open(locate, fromHistory ? { snapshot } : {});
    if (opened === null) return false; // a later open overtook this one
    const address = () => exportAddress(location, app.state.exportPath, encodeUrlState(share.readState()));
    if (opened && !fromHistory) history.pushState(PAGE_ENTRY, "", address());
    // A failed back/forward puts back the address of what is still on show (a local export has none).
    if (!opened && fromHistory && !isLocalExport(app.state.exportPath)) history.replaceState(PAGE_ENTRY, "", address());
    return opened;
  },
});

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
  modelSwitch,
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

// An export from the local disk opens in place like the switch's (its files cannot be in the address).
const openLocal = (entries) => opener.open(() => openLocalFiles(entries));
// A kiosk opens no file dialogs and takes no drops.
if (!kiosk) {
  new LocalExport(
    { button: $("open-export"), input: $("open-export-input"), target: document.body },
    { onFiles: openLocal, onError: (message) => banner.show(message) },
  );
}

stage.controls.addEventListener("change", () => share.schedule());
// History entries this page made carry PAGE_ENTRY; one made by a link pasted into this very
// tab, which only changes the hash, has no state. Back/forward to an entry of another export
// opens it in place; a pasted link, or a step between entries of the same export, reloads:
// the page opens that link afresh. (replaceState, used for the link's own writes, fires no hashchange.)
history.replaceState(PAGE_ENTRY, "");
let inPlaceHref = null; // the address back/forward opened in place: its hashchange is no new link
addEventListener("popstate", (event) => {
  inPlaceHref = null;
  if (event.state?.page !== PAGE_ENTRY.page) return;
  let link;
  try {
    link = readLink(location);
  } catch {
    location.reload(); // an entry whose ?export= the page refused: it says so again
    return;
  }
  if (link.exportPath === app.state.exportPath) return;
  inPlaceHref = location.href;
  // The entry's snapshot; the drawing, the camera and the rest stay as they are now.
  modelSwitch.open(link.exportPath, { fromHistory: true, snapshot: link.state.snapshot });
});
addEventListener("hashchange", () => {
  if (location.href !== inPlaceHref) location.reload();
});
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
