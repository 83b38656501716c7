// Oracle check (run by tests/page/test_oracle.py): runs the page's own
// modules — safetensors parsing, float16 decoding, normalisation, forward
// pass — on a real snapshot file and compares the logits with PyTorch's.
// Usage: node tests/js/oracle-check.mjs <fixture.json> <snapshot.safetensors> [<manifest.json>]
// With a manifest (either format version) the network is its layer list, checked by the
// page's validateManifest; without one, a version-1 MLP from the tensors.
// Prints one JSON line: { count, maxAbsDiff, argmaxMismatches }.
import { readFile } from "node:fs/promises";
import { validateManifest } from "../../assets/js/data/manifest.js";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { argmax, MLP } from "../../assets/js/model/mlp.js";
import { Network } from "../../assets/js/model/network.js";
import { normalise, pixelsFromBytes } from "../../assets/js/model/preprocess.js";

const [fixturePath, snapshotPath, manifestPath] = process.argv.slice(2);
if (!fixturePath || !snapshotPath) {
  console.error("usage: node tests/js/oracle-check.mjs <fixture.json> <snapshot.safetensors>");
  process.exit(2);
}

const fixture = JSON.parse(await readFile(fixturePath, "utf8"));
const file = await readFile(snapshotPath);
const { tensors } = parseSafetensors(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
const network = manifestPath
  ? new Network(validateManifest(JSON.parse(await readFile(manifestPath, "utf8")), "http://127.0.0.1/exports/x.json").model.layers, tensors)
  : new MLP(tensors);
const input = new Float32Array(784);
let maxAbsDiff = 0;
let argmaxMismatches = 0;
for (const { pixels, logits } of fixture.images) {
  const result = network.forward(normalise(pixelsFromBytes(Uint8Array.from(pixels), fixture.input.scale), fixture.input, input));
  for (let i = 0; i < logits.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(result.logits[i] - logits[i]));
  if (argmax(result.logits) !== argmax(logits)) argmaxMismatches++;
}
console.log(JSON.stringify({ count: fixture.images.length, maxAbsDiff, argmaxMismatches }));
