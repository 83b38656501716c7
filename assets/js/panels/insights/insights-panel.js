// The insights panel the page mounts into <section id="insights">: three keyboard-
// accessible tabs (Latent map, Training, Confusion). Only the visible tab's view is
// updated; a tab catches up when it is shown.
//
// Each view gets update(state, changed) as every view of the page does (app/app.js names
// the keys); a hidden tab collects the keys that changed meanwhile and catches up with
// them when it is shown. Actions the views call: loadDigit(pixels) (latent map, mistakes),
// setSnapshot(index) (training).
import { t } from "../../i18n/i18n.js";
import { el } from "../dom.js";
import { ConfusionView } from "./confusion-view.js";
import { LatentMapView } from "./latent-map-view.js";
import { SaliencyOverlay } from "./saliency-overlay.js";
import { TrainingCurvesView } from "./training-curves-view.js";
import { WeightImageView } from "./weight-image-view.js";

const TABS = [
  { name: "latent", label: "insights.latent", View: LatentMapView },
  { name: "training", label: "insights.training", View: TrainingCurvesView },
  { name: "confusion", label: "insights.confusion", View: ConfusionView },
];

let panels = 0; // unique ids when a page mounts more than one panel

export class InsightsPanel {
  /**
   * @param {HTMLElement} container the page's <section id="insights">, emptied and filled
   * @param {{loadDigit: (pixels: Float32Array) => void, setSnapshot: (index: number) => void}} actions
   */
  constructor(container, actions) {
    const prefix = `insights-${++panels}`;
    this.state = null;
    this.owed = new Map(); // tab name → the keys that changed while it was hidden
    this.tabs = [];
    this.views = new Map();
    const tablist = el("div", { class: "ins-tabs", role: "tablist", "aria-label": t("insights.label") });
    const panelElements = TABS.map(({ name, label, View }) => {
      const tab = el(
        "button",
        {
          type: "button",
          role: "tab",
          id: `${prefix}-tab-${name}`,
          "aria-controls": `${prefix}-panel-${name}`,
          class: "ins-tab",
          "data-tab": name,
        },
        [t(label)],
      );
      tab.addEventListener("click", () => this.selectTab(name));
      tab.addEventListener("keydown", (event) => this.onTabKey(event));
      tablist.append(tab);
      this.tabs.push(tab);
      const panel = el("div", {
        role: "tabpanel",
        id: `${prefix}-panel-${name}`,
        "aria-labelledby": tab.id,
        class: "ins-tabpanel",
        "data-panel": name,
      });
      this.views.set(name, new View(panel, actions));
      this.owed.set(name, new Set());
      return panel;
    });
    this.panels = panelElements;
    container.replaceChildren(el("div", { class: "ins-panel" }, [tablist, ...panelElements]));
    this.selectTab(TABS[0].name);
  }

  selectTab(name, { focus = false } = {}) {
    const index = TABS.findIndex((tab) => tab.name === name);
    if (index < 0) throw new Error(`InsightsPanel.selectTab: no tab "${name}" (use ${TABS.map((tab) => tab.name).join(", ")})`);
    this.active = name;
    this.tabs.forEach((tab, i) => {
      tab.setAttribute("aria-selected", String(i === index));
      tab.tabIndex = i === index ? 0 : -1; // roving tabindex: Tab enters the list once
      this.panels[i].hidden = i !== index;
    });
    if (focus) this.tabs[index].focus();
    this.catchUp(name);
  }

  onTabKey(event) {
    const current = TABS.findIndex((tab) => tab.name === this.active);
    const targets = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: TABS.length - 1 };
    if (!(event.key in targets)) return;
    event.preventDefault();
    const next = (targets[event.key] + TABS.length) % TABS.length;
    this.selectTab(TABS[next].name, { focus: true });
  }

  /** Passes the change to the visible tab; the hidden ones owe it. */
  update(state, changed) {
    this.state = state;
    for (const owed of this.owed.values()) for (const key of changed) owed.add(key);
    this.catchUp(this.active);
  }

  catchUp(name) {
    const owed = this.owed.get(name);
    if (!this.state || owed.size === 0) return;
    const changed = new Set(owed);
    owed.clear();
    this.views.get(name).update(this.state, changed);
  }
}

/**
 * Everything the page plugs in, as views with update(state, changed):
 *   views.push(...createInsightViews($("insights"), actions, { preview, toggleContainer, neuronContainer }));
 * `preview` is the input preview canvas the saliency overlay covers; the overlay's toggle
 * button is appended to `toggleContainer`; the selected first-layer neuron's weight
 * picture fills `neuronContainer` (inside the page's neuron details).
 */
export function createInsightViews(container, actions, { preview, toggleContainer, neuronContainer }) {
  const panel = new InsightsPanel(container, actions);
  const overlay = new SaliencyOverlay(preview);
  toggleContainer.append(overlay.createToggle());
  return [panel, overlay, new WeightImageView(neuronContainer)];
}
