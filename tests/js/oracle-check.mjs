// Oracle check (run by tests/page/test_oracle.py): runs the page's own
// modules — safetensors parsing, float16 decoding, normalisation, forward
// pass — on a real snapshot file and compares the logits with PyTorch's.
// Usage: node tests/js/oracle-check.mjs <fixture.json> <snapshot.safetensors>
// Prints one JSON line: { count, maxAbsDiff, argmaxMismatches }.
import { readFile } from "node:fs/promises";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";
import { argmax, MLP } from "../../assets/js/model/mlp.js";
import { normalise, pixelsFromBytes } from "../../assets/js/model/preprocess.js";

const [fixturePath, snapshotPath] = process.argv.slice(2);
if (!fixturePath || !snapshotPath) {
  console.error("usage: node tests/js/oracle-check.mjs <fixture.json> <snapshot.safetensors>");
  process.exit(2);
}

const fixture = JSON.parse(await readFile(fixturePath, "utf8"));
const file = await readFile(snapshotPath);
const { tensors } = parseSafetensors(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
const mlp = new MLP(tensors);
const input = new Float32Array(784);
let maxAbsDiff = 0;
let argmaxMismatches = 0;
for (const { pixels, logits } of fixture.images) {
  const result = mlp.forward(normalise(pixelsFromBytes(Uint8Array.from(pixels), fixture.input.scale), fixture.input, input));
  for (let i = 0; i < logits.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(result.logits[i] - logits[i]));
  if (argmax(result.logits) !== argmax(logits)) argmaxMismatches++;
}
console.log(JSON.stringify({ count: fixture.images.length, maxAbsDiff, argmaxMismatches }));
