// Loading the committed default MLP from disk for the insight tests, in format version 1
// (tests/fixtures/version1/mlp_weights.json: the committed export converted, reading its
// snapshots), so the version-1 path stays tested now that the export itself is version 2.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { sampleSetFromTensors } from "../../assets/js/data/export-files.js";
import { parseSafetensors } from "../../assets/js/data/safetensors.js";

export const MANIFEST_PATH = fileURLToPath(new URL("../fixtures/version1/mlp_weights.json", import.meta.url));
const FOLDER = new URL("../fixtures/version1/", import.meta.url);

async function readTensors(relativePath) {
  const bytes = await readFile(new URL(relativePath, FOLDER));
  return parseSafetensors(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).tensors;
}

export async function loadManifest() {
  return JSON.parse(await readFile(MANIFEST_PATH, "utf8"));
}

/** The decoded tensors of timeline entry `entry` (a Map, as the page keeps them). */
export function loadSnapshot(entry) {
  return readTensors(entry.file);
}

export async function loadProbe(manifest) {
  return sampleSetFromTensors(await readTensors(manifest.probe.file), manifest.model.input.shape);
}
