// Pointer picking of neurons in the 3D view: hovering a neuron (mouse only) focuses its
// connections, a click that is not a camera drag selects it, Escape clears the selection.
// Hover is resolved once per frame (flush), however many pointer events arrive.

const DRAG_PIXELS = 6; // a pointer that moved further between down and up orbited the camera

export class NeuronPicker {
  /**
   * @param {HTMLCanvasElement} canvas the 3D view's canvas
   * @param {{pick: (x: number, y: number) => ({layer: number, index: number}|null)}} network
   * @param {{onHover: Function, onSelect: Function, requestFrame: Function, hasSelection: () => boolean}} hooks
   */
  constructor(canvas, network, { onHover, onSelect, requestFrame, hasSelection }) {
    this.network = network;
    this.onHover = onHover;
    this.pending = false;
    this.at = { x: 0, y: 0 };
    this.down = { x: 0, y: 0 };
    canvas.addEventListener("pointermove", (event) => {
      if (event.pointerType !== "mouse" || event.buttons) return;
      this.pending = true;
      this.at = { x: event.clientX, y: event.clientY };
      requestFrame();
    });
    canvas.addEventListener("pointerleave", () => {
      this.pending = false;
      onHover(null);
    });
    canvas.addEventListener("pointerdown", (event) => {
      this.down = { x: event.clientX, y: event.clientY };
    });
    canvas.addEventListener("pointerup", (event) => {
      if (Math.hypot(event.clientX - this.down.x, event.clientY - this.down.y) > DRAG_PIXELS) return;
      onSelect(network.pick(event.clientX, event.clientY));
    });
    canvas.ownerDocument.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && hasSelection()) onSelect(null);
    });
  }

  /** Resolves the latest hover position (call once per frame, before the views update). */
  flush() {
    if (!this.pending) return;
    this.pending = false;
    this.onHover(this.network.pick(this.at.x, this.at.y));
  }
}
