// Replays drawn-digit strokes through the page's own pipeline — model/brush.js paints them
// as the pad does, model/preprocess.js turns the pad into the network's input, the export's
// snapshot runs through model/network.js after data/ checked it — and prints one JSON line.
// Usage: node benchmarks/drawn-digits.mjs <strokes.json> <manifest.json>… [--snapshot N] [--images]
//   strokes.json: { pad: [width, height], strokes: [{ label, brush, lines: [[[x, y], …], …] }] }
//   --snapshot N: timeline entry N instead of the last (0 = untrained)
//   --images: also print every preprocessed 28×28 input (for the Python/JS comparison)
// Output: { preprocessMs, exports: [{ manifest, snapshot, predictions }], images? }
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { readSnapshot } from "../assets/js/data/export-files.js";
import { validateManifest } from "../assets/js/data/manifest.js";
import { paintStroke } from "../assets/js/model/brush.js";
import { argmax } from "../assets/js/model/mlp.js";
import { normalise, preprocess } from "../assets/js/model/preprocess.js";

/** The checked manifest and the network of timeline entry `index` (default: the last). */
export async function loadExport(manifestPath, index = -1) {
  const manifestUrl = pathToFileURL(manifestPath).href;
  const manifest = validateManifest(JSON.parse(await readFile(manifestPath, "utf8")), manifestUrl);
  const entry = manifest.timeline.at(index);
  if (!entry) throw new Error(`${manifestPath}: no timeline entry ${index}`);
  const bytes = await readFile(new URL(entry.url));
  const { network } = await readSnapshot(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), entry, manifest);
  return { manifest, entry, network };
}

/** Paint every drawing on a fresh pad and preprocess it; returns the inputs and the mean ms of preprocess per drawing. */
export function drawnInputs({ pad: [width, height], strokes }, shape = [28, 28]) {
  const ink = new Float32Array(width * height);
  const inputs = [];
  let milliseconds = 0;
  for (const drawing of strokes) {
    ink.fill(0);
    for (const line of drawing.lines) paintStroke(ink, width, height, line, drawing.brush / 2);
    const start = performance.now();
    inputs.push(preprocess(ink, width, height, shape));
    milliseconds += performance.now() - start;
  }
  return { inputs, preprocessMs: milliseconds / strokes.length };
}

/** The network's digit for each preprocessed input (−1 for a blank pad). */
export function classify({ manifest, network }, inputs) {
  const normalised = new Float32Array(784);
  return inputs.map((pixels) => (pixels ? argmax(network.forward(normalise(pixels, manifest.model.input, normalised)).logits) : -1));
}

async function main(argv) {
  const snapshotAt = argv.indexOf("--snapshot");
  const index = snapshotAt >= 0 ? Number(argv[snapshotAt + 1]) : -1;
  const paths = argv.filter((arg, i) => !arg.startsWith("--") && (snapshotAt < 0 || i !== snapshotAt + 1));
  const [strokesPath, ...manifests] = paths;
  if (!strokesPath || manifests.length === 0) throw new Error("usage: node benchmarks/drawn-digits.mjs <strokes.json> <manifest.json>… [--snapshot N] [--images]");
  let set;
  try {
    set = JSON.parse(await readFile(strokesPath, "utf8"));
  } catch (error) {
    throw new Error(`${strokesPath}: ${error.message}`);
  }
  const { inputs, preprocessMs } = drawnInputs(set);
  const exports = [];
  for (const path of manifests) {
    let loaded;
    try {
      loaded = await loadExport(path, index);
    } catch (error) {
      throw new Error(error.message.startsWith(path) ? error.message : `${path}: ${error.message}`);
    }
    exports.push({ manifest: path, snapshot: loaded.entry.label, predictions: classify(loaded, inputs) });
  }
  const out = { preprocessMs, exports };
  if (argv.includes("--images")) out.images = inputs.map((pixels) => (pixels ? Array.from(pixels, (v) => Math.round(v * 1e6) / 1e6) : null));
  console.log(JSON.stringify(out));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error.message);
    process.exit(2);
  });
}
