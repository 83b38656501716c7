// Picking neurons with the keyboard: the 3D view's canvas takes the focus (tabindex=0); arrow
// keys move between the neurons of a layer (a CNN's conv and pool stages: between feature
// maps), Page Up / Page Down between layers, Home / End to a layer's ends, Enter opens the
// focused neuron in the details (what a click does), Escape clears. The focused neuron is
// shown as the mouse's hover is (ring, its connections alone) and read out in #network-focus.
import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { focusedNeuron, moveFocus, navigationLayers } from "../model/neuron-navigation.js";
import { layerName } from "./overview-panel.js";

export class KeyboardNavigation {
  /**
   * @param {HTMLCanvasElement} canvas the 3D view (focusable)
   * @param {HTMLElement} announcer a polite live region
   * @param {{onFocus: (neuron: {layer: number, index: number}|null) => void,
   *          onSelect: (neuron: {layer: number, index: number}|null) => void}} hooks
   */
  constructor(canvas, announcer, { onFocus, onSelect }) {
    this.canvas = canvas;
    this.announcer = announcer;
    this.hooks = { onFocus, onSelect };
    this.state = null;
    this.layers = null;
    this.focus = null; // { stage, index }: index counts pixels, maps or neurons
    canvas.addEventListener("focus", () => this.enter());
    canvas.addEventListener("blur", () => onFocus(null));
    canvas.addEventListener("keydown", (event) => this.onKey(event));
  }

  update(state, changed) {
    this.state = state;
    if (changed.has("manifest")) {
      this.layers = navigationLayers(state.manifest.model);
      this.focus = null;
    }
  }

  /** Focus arrives: resume where it was, else at the selected neuron, else the first layer after the input. */
  enter() {
    if (!this.layers || !this.state.snapshot) return;
    const selected = this.state.selected;
    if (!this.focus && selected) {
      const layer = this.layers[selected.layer];
      this.focus = { stage: selected.layer, index: layer.kind === "maps" ? Math.floor(selected.index / layer.mapSize) : selected.index };
    }
    this.focus ??= { stage: 1, index: 0 };
    this.show();
  }

  onKey(event) {
    if (!this.layers || !this.state.snapshot || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter" || event.key === " ") {
      if (!this.focus) this.enter();
      this.hooks.onSelect(this.neuron());
    } else if (event.key === "Escape") {
      this.hooks.onSelect(null);
      this.announcer.textContent = t("keys.cleared");
    } else {
      const moved = this.focus && moveFocus(this.layers, this.focus, event.key);
      if (!moved) return;
      this.focus = moved;
      this.show();
    }
    event.preventDefault(); // arrows and Page keys would scroll the page
  }

  /** The model's neuron behind the focus (a feature map: its strongest value now). */
  neuron() {
    return focusedNeuron(this.layers, this.focus, this.state.result?.activations[this.focus.stage]);
  }

  show() {
    const neuron = this.neuron();
    this.hooks.onFocus(neuron);
    this.canvas.dataset.focus = `${neuron.layer}.${neuron.index}`;
    this.announcer.textContent = this.describe(neuron);
  }

  describe({ layer: stage, index: valueIndex }) {
    const { manifest, result, pixels } = this.state;
    const layer = this.layers[stage];
    const { index } = this.focus;
    const params = { layer: layerName(manifest.model, stage), index: index + 1, count: layer.count };
    const value = (text) => (result ? text() : "–");
    if (layer.kind === "pixels") {
      const row = Math.floor(index / layer.columns) + 1;
      const column = (index % layer.columns) + 1;
      return t("keys.pixel", { ...params, row, column, value: formatNumber(pixels?.[index] ?? 0, 2) });
    }
    const activation = () => result.activations[stage][valueIndex];
    if (layer.kind === "maps") return t("keys.map", { ...params, value: value(() => formatNumber(activation(), 2)) });
    if (stage === this.layers.length - 1) return t("keys.output", { ...params, index, value: value(() => formatPercent(activation())) });
    return t("keys.neuron", { ...params, value: value(() => formatNumber(activation(), 2)) });
  }
}
