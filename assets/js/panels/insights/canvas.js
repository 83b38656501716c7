// Canvas plumbing shared by the insight views: crisp drawing on high-density screens,
// pointer positions in CSS pixels, and digit images.

/**
 * Size `canvas` to cssWidth × cssHeight CSS pixels with a backing store at the screen's
 * density, and return its 2D context scaled so drawing code works in CSS pixels.
 */
export function fitCanvas(canvas, cssWidth, cssHeight) {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = Math.max(1, Math.round(cssWidth * ratio));
  const height = Math.max(1, Math.round(cssHeight * ratio));
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  const context = canvas.getContext("2d");
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** Pointer position relative to the element's top-left corner, in CSS pixels. */
export function pointerPosition(event, element) {
  const box = element.getBoundingClientRect();
  return { x: event.clientX - box.left, y: event.clientY - box.top };
}

// Ink blends from the panel background (#10151c) to a warm white (#f0ece4).
const PAPER = [0x10, 0x15, 0x1c];
const INK = [0xf0, 0xec, 0xe4];

/**
 * A canvas showing an MNIST digit, one canvas pixel per image pixel, as light ink on the
 * dark theme; CSS scales it up (the `ins-digit` class keeps the pixels sharp).
 * @param {Uint8Array} bytes rows × columns values, row-major, 0 = paper, 255 = ink
 * @param {[number, number]} shape the image's [rows, columns] (a SampleSet's `shape`)
 */
export function digitCanvas(bytes, [rows, columns], canvas = document.createElement("canvas")) {
  canvas.width = columns;
  canvas.height = rows;
  canvas.classList.add("ins-digit");
  const context = canvas.getContext("2d");
  const image = context.createImageData(columns, rows);
  for (let i = 0; i < rows * columns; i++) {
    const ink = bytes[i] / 255;
    for (let c = 0; c < 3; c++) image.data[4 * i + c] = PAPER[c] + ink * (INK[c] - PAPER[c]);
    image.data[4 * i + 3] = 255;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Calls `onResize(width)` with the element's content width now and whenever it changes,
 * so views redraw at their real size (panel width differs between desktop and tablet).
 */
export function watchWidth(element, onResize) {
  let lastWidth = -1;
  const observer = new ResizeObserver(() => {
    const width = Math.floor(element.clientWidth);
    if (width !== lastWidth && width > 0) {
      lastWidth = width;
      onResize(width);
    }
  });
  observer.observe(element);
}
