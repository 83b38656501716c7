// Settings: connections per neuron (top-k), the weak-contribution threshold, the brush
// size and what the network is fed (centred or raw). Reports changes; the values live in
// the app state, and their defaults in index.html's controls (read once at start).

import { formatNumber, t } from "../i18n/i18n.js";

export const TOP_K_STEPS = [1, 2, 4, 8, 16, 32, 64, 128, Infinity];

export class SettingsPanel {
  constructor(root, { onChange }) {
    const $ = (id) => root.querySelector(`#${id}`);
    this.topK = $("top-k");
    this.threshold = $("threshold");
    this.brush = $("brush-size");
    this.outputs = { topK: $("top-k-value"), threshold: $("threshold-value"), brush: $("brush-size-value") };
    this.topK.max = String(TOP_K_STEPS.length - 1);
    this.inputModes = [...root.querySelectorAll('input[name="input-mode"]')];
    for (const input of [this.topK, this.threshold, this.brush]) input.addEventListener("input", () => onChange(this.read()));
    for (const radio of this.inputModes) radio.addEventListener("change", () => onChange(this.read()));
  }

  read() {
    return {
      topK: TOP_K_STEPS[Number(this.topK.value)],
      threshold: Number(this.threshold.value) / 100,
      brushSize: Number(this.brush.value),
      inputMode: this.inputModes.find((radio) => radio.checked)?.value ?? "processed",
    };
  }

  update(state, changed) {
    if (!changed.has("settings")) return;
    const { topK, threshold, brushSize } = state.settings;
    this.outputs.topK.textContent = topK === Infinity ? t("settings.all") : String(topK);
    this.outputs.threshold.textContent = threshold
      ? t("settings.below", { percent: `${formatNumber(Math.round(threshold * 100))} %` })
      : t("settings.off");
    this.outputs.brush.textContent = `${brushSize} px`;
  }
}
