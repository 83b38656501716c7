// "What the network sees": the 28×28 input, white ink on black like MNIST.
export class InputPreview {
  constructor(canvas, note) {
    this.context = canvas.getContext("2d");
    this.image = this.context.createImageData(28, 28);
    this.note = note;
  }

  update(state, changed) {
    if (!changed.has("pixels") && !changed.has("settings")) return;
    const data = this.image.data;
    for (let i = 0; i < 784; i++) {
      const v = state.pixels ? Math.round(state.pixels[i] * 255) : 0;
      data[i * 4] = data[i * 4 + 1] = data[i * 4 + 2] = v;
      data[i * 4 + 3] = 255;
    }
    this.context.putImageData(this.image, 0, 0);
    this.note.textContent =
      state.source === "digit"
        ? "A real MNIST test digit, exactly as the network was tested on it."
        : state.settings.inputMode === "raw"
          ? "Your whole pad shrunk to 28×28, without centring: often too small or off-centre for the network."
          : "Your drawing, cropped, scaled to 20×20 and centred in 28×28 like the training digits.";
  }
}
