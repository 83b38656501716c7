// "What the network sees": the model's input image (manifest.model.input.shape), white
// ink on black like MNIST.
import { t } from "../i18n/i18n.js";
import { mnistBoxSide } from "../model/preprocess.js";

export class InputPreview {
  constructor(canvas, note) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.image = null; // sized to the input once the manifest is known
    this.note = note;
  }

  update(state, changed) {
    if (changed.has("manifest")) this.resize(state.manifest.model.input.shape);
    if (!this.image || !["pixels", "settings", "manifest"].some((key) => changed.has(key))) return;
    const data = this.image.data;
    const count = this.image.width * this.image.height;
    for (let i = 0; i < count; i++) {
      const v = state.pixels ? Math.round(state.pixels[i] * 255) : 0;
      data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
      data[i * 4 + 3] = 255;
    }
    this.context.putImageData(this.image, 0, 0);
    const shape = state.manifest.model.input.shape;
    const size = shape.join("×");
    const box = Math.round(mnistBoxSide(shape));
    this.note.textContent =
      state.source === "digit"
        ? t("preview.digit")
        : t(state.settings.inputMode === "raw" ? "preview.raw" : "preview.centred", { size, box });
  }

  /** One canvas pixel per input pixel: shape is [rows, columns]. */
  resize([rows, columns]) {
    if (this.canvas.width !== columns) this.canvas.width = columns;
    if (this.canvas.height !== rows) this.canvas.height = rows;
    this.image = this.context.createImageData(columns, rows);
  }
}
