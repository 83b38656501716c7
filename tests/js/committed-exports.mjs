// The committed exports (exports/*.json) loaded as the page loads them, with 200 real probe
// digits normalised for the forward pass, and a counter of typed-array allocations: shared by
// the tests that check a per-stroke path allocates nothing.
import { readFile } from "node:fs/promises";
import { sampleSetFromTensors } from "../../assets/js/data/export-files.js";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { Network } from "../../assets/js/model/network.js";
import { normalise } from "../../assets/js/model/preprocess.js";

const FOLDER = new URL("../../exports/", import.meta.url);
const TYPED = ["Float32Array", "Float64Array", "Int32Array", "Uint8Array", "Uint8ClampedArray", "Uint16Array"];

export async function tensorsOf(file) {
  const bytes = await readFile(new URL(file, FOLDER));
  return parseSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).tensors;
}

export async function load(name) {
  const manifest = validateManifest(JSON.parse(await readFile(new URL(name, FOLDER), "utf8")), `http://x/exports/${name}`);
  const network = new Network(manifest.model.layers, await tensorsOf(manifest.timeline.at(-1).file));
  const probe = sampleSetFromTensors(await tensorsOf(manifest.probe.file), manifest.model.input.shape);
  const inputs = Array.from({ length: 200 }, (_, i) => normalise(probe.pixels(i % probe.count), manifest.model.input));
  return { manifest, network, inputs };
}

/** Runs `work` with every typed-array constructor counted; returns how many were constructed. */
export function countTypedArrays(work) {
  const originals = TYPED.map((name) => globalThis[name]);
  let count = 0;
  TYPED.forEach((name, i) => {
    globalThis[name] = new Proxy(originals[i], {
      construct(target, args, newTarget) {
        count++;
        return Reflect.construct(target, args, newTarget === globalThis[name] ? target : newTarget);
      },
    });
  });
  try {
    work();
  } finally {
    TYPED.forEach((name, i) => {
      globalThis[name] = originals[i];
    });
  }
  return count;
}
