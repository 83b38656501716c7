// The prediction for screen readers, said politely and only when it is news: #prediction
// changes on every stroke, so a separate visually hidden live region (#prediction-announcement)
// is written once the answer has stayed put for STILL_MS and differs from the last one said.
import { formatPercent, t } from "../i18n/i18n.js";
import { argmax } from "../model/mlp.js";

export const STILL_MS = 500;

export class PredictionAnnouncer {
  constructor(element) {
    this.element = element;
    this.said = null; // the digit last announced
    this.timer = 0;
  }

  update(state, changed) {
    if (!changed.has("result") && !changed.has("snapshot")) return;
    clearTimeout(this.timer); // every new answer restarts the wait: the drawing is still moving
    const probabilities = state.result?.activations.at(-1);
    if (!probabilities) {
      this.said = null; // a blank pad: the next drawing's answer is news again
      return;
    }
    const digit = argmax(probabilities);
    const percent = formatPercent(probabilities[digit]);
    this.timer = setTimeout(() => {
      if (digit === this.said) return;
      this.said = digit;
      this.element.textContent = t("guess.announce", { digit, percent });
    }, STILL_MS);
  }
}
