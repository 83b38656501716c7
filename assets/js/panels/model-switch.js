// The model switch in the header (#model-switch): the MLP, the CNN, and whichever other export
// is open. Choosing one opens that export in place with the same drawing (and the same snapshot
// id when the other export has it): the caller opens it (app/open-export.js). While it loads the
// switch is disabled and busy; if it fails, the switch shows the export still on show.

/** The exports the switch always offers: [path, label]. */
export const MODELS = Object.freeze([
  ["exports/mlp_weights.json", "MLP"],
  ["exports/cnn_weights.json", "CNN"],
]);

export class ModelSwitch {
  /**
   * @param {HTMLSelectElement} select
   * @param {{onSwitch: (exportPath: string, how: {fromHistory?: boolean, snapshot?: string}) => Promise<boolean>}} hooks
   *   onSwitch resolves true once the export is shown; `how` is what open() was given
   */
  constructor(select, { onSwitch }) {
    this.select = select;
    this.current = null;
    this.onSwitch = onSwitch;
    this.pending = 0; // opens under way: the switch is free again once none is left
    select.addEventListener("change", () => {
      if (select.value !== this.current) this.open(select.value);
    });
  }

  /** Open `exportPath` through onSwitch: a choice in the select, or back/forward to its page. */
  async open(exportPath, how = {}) {
    const { select } = this;
    select.value = exportPath;
    select.disabled = true;
    select.setAttribute("aria-busy", "true");
    this.pending += 1;
    const opened = await this.onSwitch(exportPath, how);
    this.pending -= 1;
    if (this.pending > 0) return opened;
    select.removeAttribute("aria-busy");
    select.disabled = false;
    if (!opened) select.value = this.current;
    return opened;
  }

  update(state, changed) {
    if (!changed.has("manifest")) return;
    this.current = state.exportPath;
    const options = MODELS.some(([path]) => path === state.exportPath) ? MODELS : [...MODELS, [state.exportPath, state.exportPath]];
    this.select.replaceChildren(
      ...options.map(([path, label]) => {
        const option = document.createElement("option");
        option.value = path;
        option.textContent = label; // text, never markup
        return option;
      }),
    );
    this.select.value = state.exportPath;
    this.select.disabled = false;
  }
}
