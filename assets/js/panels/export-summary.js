// Facts about the open export, from its manifest: which file and how many snapshots
// (#export-name), and how many learned numbers the network has (the lede's count).

export class ExportSummary {
  /** @param {{name: HTMLElement, parameterCount: HTMLElement}} elements */
  constructor({ name, parameterCount }) {
    this.name = name;
    this.parameterCount = parameterCount;
  }

  update(state, changed) {
    if (!changed.has("manifest")) return;
    const { manifest, exportPath } = state;
    this.name.textContent = `Export: ${exportPath} · ${manifest.timeline.length} snapshots`;
    const sizes = manifest.model.layer_sizes;
    const count = manifest.model.parameter_count ?? sizes.slice(1).reduce((sum, size, l) => sum + sizes[l] * size + size, 0);
    this.parameterCount.textContent = count.toLocaleString("en");
  }
}
