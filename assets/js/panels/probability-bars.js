// Ten probability bars (built once, updated in place) and the #prediction
// element whose data-prediction / data-snapshot attributes are stable hooks.

import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { argmax } from "../model/mlp.js";

export class ProbabilityBars {
  constructor(container, prediction) {
    this.prediction = prediction;
    this.digit = prediction.querySelector(".prediction-digit");
    this.text = prediction.querySelector(".prediction-text");
    this.rows = Array.from({ length: 10 }, (_, d) => {
      const row = document.createElement("div");
      row.className = "bar";
      const label = document.createElement("span");
      label.className = "bar-digit";
      label.textContent = String(d);
      const track = document.createElement("div");
      track.className = "bar-track";
      const fill = document.createElement("div");
      fill.className = "bar-fill";
      track.append(fill);
      const value = document.createElement("span");
      value.className = "bar-value";
      row.append(label, track, value);
      container.append(row);
      return { row, fill, value };
    });
  }

  update(state, changed) {
    if (!changed.has("result") && !changed.has("snapshot")) return;
    const probabilities = state.result ? state.result.activations.at(-1) : null;
    const top = probabilities ? argmax(probabilities) : -1;
    this.rows.forEach(({ row, fill, value }, d) => {
      const p = probabilities ? probabilities[d] : 0;
      fill.style.transform = `scaleX(${p.toFixed(4)})`;
      value.textContent = probabilities ? `${formatNumber(p * 100, p >= 0.995 || p < 0.001 ? 0 : 1)} %` : "";
      row.classList.toggle("top", d === top);
    });
    this.prediction.dataset.prediction = top >= 0 ? String(top) : "";
    this.prediction.dataset.snapshot = state.snapshot ? state.snapshot.entry.id : "";
    this.digit.textContent = top >= 0 ? String(top) : "";
    this.text.textContent =
      top >= 0 ? t("guess.sure", { percent: formatPercent(probabilities[top]) }) : state.snapshot ? t("guess.draw") : t("guess.loading");
  }
}
