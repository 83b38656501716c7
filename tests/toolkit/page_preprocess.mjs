// The page's own preprocessing on many ink bitmaps, for the Python oracle tests
// (tests/toolkit/test_tool_preprocess_oracle.py, test_tool_predict.py).
// Usage: node page_preprocess.mjs <preprocess.js> <shapes.json> <ink.f32> <out.f32>
//   shapes.json: [[height, width], …]; ink.f32: the bitmaps' float32 ink (0..1), row-major,
//   back to back; out.f32: 784 float32 per bitmap (NaN for a blank one).
import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [modulePath, shapesPath, inkPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node page_preprocess.mjs <preprocess.js> <shapes.json> <ink.f32> <out.f32>");
  process.exit(2);
}
const { preprocess } = await import(pathToFileURL(resolve(modulePath)).href);
const shapes = JSON.parse(await readFile(shapesPath, "utf8"));
const bytes = await readFile(inkPath);
const ink = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
const out = new Float32Array(shapes.length * 784);
let offset = 0;
shapes.forEach(([height, width], index) => {
  const result = preprocess(ink.subarray(offset, offset + height * width), width, height, [28, 28]); // MNIST's input shape
  if (result) out.set(result, index * 784);
  else out.fill(NaN, index * 784, (index + 1) * 784);
  offset += height * width;
});
await writeFile(outPath, Buffer.from(out.buffer));
