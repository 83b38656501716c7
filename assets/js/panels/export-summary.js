// Facts about the open export, from its manifest: which file and how many snapshots
// (#export-name), and how many learned numbers the network has (the lede's count).
import { formatNumber, t } from "../i18n/i18n.js";
import { parameterCount } from "../model/mlp.js";

export class ExportSummary {
  /** @param {{name: HTMLElement, parameterCount: HTMLElement}} elements */
  constructor({ name, parameterCount }) {
    this.name = name;
    this.parameterCount = parameterCount;
  }

  update(state, changed) {
    if (!changed.has("manifest")) return;
    const { manifest, exportPath } = state;
    this.name.textContent = t("export.summary", { path: exportPath, count: manifest.timeline.length });
    const count = manifest.model.parameter_count ?? parameterCount(manifest.model.layer_sizes);
    this.parameterCount.textContent = formatNumber(count);
  }
}
