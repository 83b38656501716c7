import assert from "node:assert/strict";
import { test } from "node:test";
import { cssColor, cssGradient, LUT_BYTES, lutIndex, writeSrgbBytes } from "../../assets/js/model/palette.js";

const rgbOf = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

test("2D canvases get the legend's sRGB colours, not WebGL's linear ones", () => {
  // The legend (a CSS gradient) has #ed8021 at 0.55; a 2D pixel of 0.55 must be that colour.
  assert.match(cssGradient(), /#ed8021 77\.5%/);
  const pixel = new Uint8ClampedArray(4);
  for (const [t, hex] of [
    [-1, "#9ed3ff"],
    [-0.55, "#3385ed"],
    [0, "#1c212e"],
    [0.55, "#ed8021"],
    [1, "#ffdb8c"],
  ]) {
    writeSrgbBytes(t, pixel, 0);
    const want = rgbOf(hex);
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(pixel[c] - want[c]) <= 1, `${t}: ${[...pixel.slice(0, 3)]} vs ${hex}`);
  }
});

test("between stops the 2D colour follows cssColor, and WebGL's table stays linear", () => {
  const pixel = new Uint8ClampedArray(4);
  for (let t = -1; t <= 1; t += 0.125) {
    writeSrgbBytes(t, pixel, 0);
    const want = rgbOf(cssColor(t));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(pixel[c] - want[c]) <= 2, `${t}`);
  }
  // 0.55 in linear light is much darker in green and blue than its sRGB bytes (0x80, 0x21).
  const i = lutIndex(0.55);
  assert.ok(LUT_BYTES[i + 1] < 0x80 * 0.5 && LUT_BYTES[i + 2] < 0x21 * 0.5);
});
