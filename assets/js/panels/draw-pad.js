// The drawing pad: Pointer Events for mouse, touch and pen. Primary button or
// finger draws, the right button, a pen's eraser or the eraser toggle erase.
// Ink lives in a Float32Array (0..1) that preprocessing reads directly; the
// canvas only shows it. touch-action: none (CSS) keeps the page from scrolling.
import { paintSegment, paintStroke } from "../model/brush.js";

const PAPER = [5, 7, 11];
const INK = [242, 239, 232];
const ERASE_BUTTONS = new Set([2, 5]); // right mouse button, pen eraser

export class DrawPad {
  constructor(canvas, { onChange }) {
    this.canvas = canvas;
    this.width = canvas.width;
    this.height = canvas.height;
    this.ink = new Float32Array(this.width * this.height);
    this.context = canvas.getContext("2d");
    this.image = this.context.createImageData(this.width, this.height);
    this.pixels32 = new Uint32Array(this.image.data.buffer);
    this.palette = new Uint32Array(256);
    for (let v = 0; v < 256; v++) {
      const mix = (c) => Math.round(PAPER[c] + ((INK[c] - PAPER[c]) * v) / 255);
      this.palette[v] = (255 << 24) | (mix(2) << 16) | (mix(1) << 8) | mix(0); // little-endian RGBA
    }
    this.radius = 12;
    this.eraser = false;
    this.stroke = null; // { pointerId, x, y, erase }
    this.dirty = null;
    this.onChange = onChange;
    canvas.addEventListener("pointerdown", (event) => this.down(event));
    canvas.addEventListener("pointermove", (event) => this.move(event));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) canvas.addEventListener(type, (event) => this.up(event));
    canvas.addEventListener("contextmenu", (event) => event.preventDefault());
    this.paintAll();
  }

  setBrushSize(diameter) {
    this.radius = diameter / 2;
  }

  setEraser(on) {
    this.eraser = on;
    this.canvas.classList.toggle("erasing", on);
  }

  point(event) {
    const rect = this.canvas.getBoundingClientRect();
    return [((event.clientX - rect.left) * this.width) / rect.width, ((event.clientY - rect.top) * this.height) / rect.height];
  }

  down(event) {
    if (this.stroke || (event.pointerType === "mouse" && event.button !== 0 && event.button !== 2)) return;
    event.preventDefault();
    try {
      this.canvas.setPointerCapture(event.pointerId); // keeps the stroke when the pointer leaves the pad
    } catch {
      // Synthetic or already-released pointers cannot be captured; drawing works without it.
    }
    const [x, y] = this.point(event);
    this.stroke = { pointerId: event.pointerId, x, y, erase: this.eraser || ERASE_BUTTONS.has(event.button) };
    this.paint(x, y);
  }

  move(event) {
    if (!this.stroke || event.pointerId !== this.stroke.pointerId) return;
    event.preventDefault();
    const events = event.getCoalescedEvents?.() ?? [];
    for (const each of events.length ? events : [event]) {
      const [x, y] = this.point(each);
      this.paint(x, y);
    }
  }

  up(event) {
    if (this.stroke && event.pointerId === this.stroke.pointerId) this.stroke = null;
  }

  paint(x, y) {
    const { stroke } = this;
    const touched = paintSegment(this.ink, this.width, this.height, stroke.x, stroke.y, x, y, this.radius, stroke.erase);
    stroke.x = x;
    stroke.y = y;
    if (!touched) return;
    this.grow(touched);
    this.onChange();
  }

  /** Paint a whole stroke ([[x, y], …] in pad pixels) with the pad's brush, as a finger would (the kiosk's attract loop). */
  drawStroke(points) {
    paintStroke(this.ink, this.width, this.height, points, this.radius);
    const xs = points.map(([x]) => x);
    const ys = points.map(([, y]) => y);
    const r = Math.ceil(this.radius);
    this.grow({
      left: Math.max(0, Math.floor(Math.min(...xs)) - r),
      top: Math.max(0, Math.floor(Math.min(...ys)) - r),
      right: Math.min(this.width - 1, Math.ceil(Math.max(...xs)) + r),
      bottom: Math.min(this.height - 1, Math.ceil(Math.max(...ys)) + r),
    });
    this.onChange();
  }

  grow(rect) {
    const d = this.dirty;
    this.dirty = d
      ? {
          left: Math.min(d.left, rect.left),
          top: Math.min(d.top, rect.top),
          right: Math.max(d.right, rect.right),
          bottom: Math.max(d.bottom, rect.bottom),
        }
      : rect;
  }

  clear() {
    this.ink.fill(0);
    this.paintAll();
  }

  /**
   * A digit loaded into the app (a test digit, a shared drawing) is shown enlarged on the
   * pad, so it can be drawn over. The pad's own strokes are already the state's pixels.
   */
  update(state, changed) {
    if (changed.has("settings")) this.setBrushSize(state.settings.brushSize);
    if (changed.has("pixels") && state.source !== "pad" && state.pixels) {
      const [rows, columns] = state.manifest.model.input.shape;
      this.showDigit(state.pixels, rows, columns);
      this.render();
    }
  }

  /** Show a rows×columns image (ink 0..1) enlarged on the pad; the app already has it as its input. */
  showDigit(pixels, rows, columns) {
    for (let y = 0; y < this.height; y++) {
      const row = Math.floor((y * rows) / this.height) * columns;
      for (let x = 0; x < this.width; x++) this.ink[y * this.width + x] = pixels[row + Math.floor((x * columns) / this.width)];
    }
    this.grow({ left: 0, top: 0, right: this.width - 1, bottom: this.height - 1 });
  }

  paintAll() {
    this.grow({ left: 0, top: 0, right: this.width - 1, bottom: this.height - 1 });
    this.onChange();
  }

  /** Copy the changed part of the ink to the canvas (call once per frame). */
  render() {
    if (!this.dirty) return;
    const { left, top, right, bottom } = this.dirty;
    for (let y = top; y <= bottom; y++) {
      for (let x = left; x <= right; x++) {
        const i = y * this.width + x;
        this.pixels32[i] = this.palette[Math.round(this.ink[i] * 255)];
      }
    }
    this.context.putImageData(this.image, 0, 0, left, top, right - left + 1, bottom - top + 1);
    this.dirty = null;
  }
}
