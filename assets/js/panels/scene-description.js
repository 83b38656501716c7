// The 3D view in words, for people who cannot see it: what the network says, how sure it
// is, and its strongest hidden neurons. #network-description is the canvas's
// aria-describedby and a polite live region; it is rewritten at most once a second, so a
// stroke does not flood a screen reader.
import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { argmax } from "../model/mlp.js";
import { snapshotLabel } from "./timeline-format.js";

const QUIET_MS = 1000;

/** "neuron 17 (2.31), neuron 5 (1.90), neuron 88 (1.42)": the `count` most active of `activations`, counted from 1. */
export function strongest(activations, count = 3) {
  return Array.from(activations.keys())
    .filter((i) => activations[i] > 0)
    .sort((a, b) => activations[b] - activations[a])
    .slice(0, count)
    .map((i) => `${i + 1} (${formatNumber(activations[i], 2)})`)
    .join(", ");
}

/** The sentence for the app state (null before the first snapshot). */
export function describe(state) {
  if (!state.snapshot) return null;
  if (!state.result) return t("describe.blank");
  const probabilities = state.result.activations.at(-1);
  const digit = argmax(probabilities);
  const second = argmax(probabilities.map((p, d) => (d === digit ? -1 : p)));
  return t("describe.result", {
    digit,
    percent: formatPercent(probabilities[digit]),
    second,
    secondPercent: formatPercent(probabilities[second]),
    neurons: strongest(state.result.activations[1]) || "–",
    snapshot: snapshotLabel(state.snapshot.entry, state.manifest.training?.dataset?.train_size),
  });
}

export class SceneDescription {
  constructor(element) {
    this.element = element;
    this.timer = 0;
    this.state = null;
  }

  update(state, changed) {
    if (!changed.has("result") && !changed.has("snapshot")) return;
    this.state = state;
    this.timer ||= setTimeout(() => {
      this.timer = 0;
      const text = describe(this.state);
      if (text !== null && text !== this.element.textContent) this.element.textContent = text;
    }, QUIET_MS);
  }
}
