// The model switch in the header (#model-switch): the MLP, the CNN, and whichever other export
// is open. Choosing one opens that export with the same drawing (and the same snapshot id when
// the other export has it): the caller turns the choice into a link and follows it.

/** The exports the switch always offers: [path, label]. */
export const MODELS = Object.freeze([
  ["exports/mlp_weights.json", "MLP"],
  ["exports/cnn_weights.json", "CNN"],
]);

export class ModelSwitch {
  /**
   * @param {HTMLSelectElement} select
   * @param {{onSwitch: (exportPath: string) => void}} hooks
   */
  constructor(select, { onSwitch }) {
    this.select = select;
    this.current = null;
    select.addEventListener("change", () => {
      if (select.value !== this.current) onSwitch(select.value);
    });
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
