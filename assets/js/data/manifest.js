// Validation of the export manifest (docs/export-format.md, format version 1).
// Every check throws an Error whose message says which field is wrong, so the
// page can show "<file>: <problem>" without guessing.

import { sameSiteUrl } from "./fetch-file.js";

export const FORMAT = "mnist-mlp-timeline";
export const FORMAT_VERSION = 1;

const DIGIT_NAMES = Object.freeze(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);

/**
 * The one input shape this page supports, [rows, columns]: MNIST's 28×28. Everything else
 * reads the shape from manifest.model.input.shape; this is the only place that states it.
 * The drawing pad's preprocessing (MNIST's recipe, model/preprocess.js) has been checked
 * against MNIST itself only at this size, so other shapes are refused for now.
 */
export const SUPPORTED_INPUT_SHAPE = Object.freeze([28, 28]);

function fail(message) {
  throw new Error(message);
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value) => Number.isInteger(value) && value >= 1;
const isFiniteNumber = (value) => typeof value === "number" && Number.isFinite(value);

function checkModel(model) {
  if (!isObject(model)) fail("model is missing");
  const sizes = model.layer_sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every(isCount)) {
    fail(`model.layer_sizes must be a list of at least 2 positive integers, got ${JSON.stringify(sizes)}`);
  }
  const [rows, columns] = SUPPORTED_INPUT_SHAPE;
  if (sizes[0] !== rows * columns) {
    fail(`model.layer_sizes must start with ${rows * columns} (${rows}×${columns} inputs), got ${sizes[0]}`);
  }
  if (sizes.at(-1) !== 10) fail(`model.layer_sizes must end with 10 (digits), got ${sizes.at(-1)}`);
  const activations = model.activations;
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    fail(`model.activations must have ${sizes.length - 1} entries (one per non-input layer)`);
  }
  const hidden = activations.slice(0, -1);
  if (!hidden.every((name) => name === "relu") || activations.at(-1) !== "softmax") {
    fail(`model.activations must be relu for hidden layers and softmax last, got ${JSON.stringify(activations)}`);
  }
  const input = model.input;
  if (!isObject(input) || JSON.stringify(input.shape) !== JSON.stringify(SUPPORTED_INPUT_SHAPE)) {
    fail(`model.input.shape must be [${rows}, ${columns}]`);
  }
  if (!isFiniteNumber(input.scale) || input.scale <= 0) fail("model.input.scale must be a positive number");
  if (!isFiniteNumber(input.mean)) fail("model.input.mean must be a number");
  if (!isFiniteNumber(input.std) || input.std <= 0) fail("model.input.std must be a positive number");
  if (model.class_names !== undefined && (!Array.isArray(model.class_names) || model.class_names.length !== 10)) {
    fail("model.class_names must list 10 names");
  }
  if (model.parameter_count !== undefined && !isCount(model.parameter_count)) fail("model.parameter_count must be a positive integer");
  if (model.tensor_dtype !== undefined && model.tensor_dtype !== "F16") {
    fail(`model.tensor_dtype must be F16, got ${JSON.stringify(model.tensor_dtype)}`);
  }
}

function resolveFile(entry, where, manifestUrl) {
  if (!isObject(entry) || typeof entry.file !== "string" || entry.file === "") fail(`${where}.file is missing`);
  if (entry.bytes !== undefined && !(Number.isInteger(entry.bytes) && entry.bytes > 8)) {
    fail(`${where}.bytes must be a file size in bytes`);
  }
  if (entry.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(entry.sha256)) {
    fail(`${where}.sha256 must be 64 lowercase hex digits`);
  }
  let url;
  try {
    url = sameSiteUrl(entry.file, manifestUrl);
  } catch (error) {
    fail(`${where}.file must be a path relative to the manifest, got ${JSON.stringify(entry.file)} (${error.message})`);
  }
  return { ...entry, url };
}

function checkTimeline(timeline, manifestUrl) {
  if (!Array.isArray(timeline) || timeline.length === 0) fail("timeline must be a non-empty list of snapshots");
  const ids = new Set();
  return timeline.map((snapshot, position) => {
    const where = `timeline[${position}]`;
    if (!isObject(snapshot)) fail(`${where} is not an object`);
    if (snapshot.index !== position)
      fail(`${where}.index is ${JSON.stringify(snapshot.index)}, expected ${position} (timeline out of order)`);
    if (typeof snapshot.id !== "string" || snapshot.id === "") fail(`${where}.id is missing`);
    if (ids.has(snapshot.id)) fail(`${where}.id "${snapshot.id}" is used twice`);
    ids.add(snapshot.id);
    if (!Number.isInteger(snapshot.images_seen) || snapshot.images_seen < 0) fail(`${where}.images_seen must be a non-negative integer`);
    if (position === 0 && snapshot.images_seen !== 0) fail("timeline[0].images_seen must be 0 (the untrained network)");
    if (position > 0 && snapshot.images_seen <= timeline[position - 1].images_seen) {
      fail(`${where}.images_seen must be larger than the previous snapshot's (timeline out of order)`);
    }
    const accuracy = snapshot.metrics?.test_accuracy;
    if (accuracy !== undefined && !(isFiniteNumber(accuracy) && accuracy >= 0 && accuracy <= 1)) {
      fail(`${where}.metrics.test_accuracy must be a number in [0, 1]`);
    }
    return resolveFile(snapshot, where, manifestUrl);
  });
}

/**
 * Check a parsed manifest and return a copy whose file entries carry absolute `url`s
 * (and whose model has its class_names).
 */
export function validateManifest(json, manifestUrl) {
  if (!isObject(json)) fail("the manifest is not a JSON object");
  if (json.format !== FORMAT) fail(`format must be "${FORMAT}", got ${JSON.stringify(json.format)}`);
  if (json.format_version !== FORMAT_VERSION) {
    fail(`unsupported format_version ${JSON.stringify(json.format_version)} (this page reads version ${FORMAT_VERSION})`);
  }
  checkModel(json.model);
  const manifest = { ...json, url: new URL(manifestUrl).href, timeline: checkTimeline(json.timeline, manifestUrl) };
  // Class names are optional in the format: the views always get ten.
  manifest.model = { ...json.model, class_names: json.model.class_names ?? DIGIT_NAMES };
  for (const key of ["probe", "gallery"]) {
    if (json[key] !== undefined) manifest[key] = resolveFile(json[key], key, manifestUrl);
  }
  if (json.latent !== undefined && !(isObject(json.latent) && isCount(json.latent.probe_size))) {
    fail("latent.probe_size must be a positive integer");
  }
  return manifest;
}

/** The tensors every snapshot must hold: Map<name, shape>. */
export function snapshotShapes(manifest) {
  const sizes = manifest.model.layer_sizes;
  const shapes = new Map();
  for (let i = 0; i < sizes.length - 1; i++) {
    shapes.set(`layers.${i}.weight`, [sizes[i + 1], sizes[i]]);
    shapes.set(`layers.${i}.bias`, [sizes[i + 1]]);
  }
  if (manifest.latent) {
    const hidden = sizes.at(-2);
    shapes.set("latent.mean", [hidden]);
    shapes.set("latent.components", [2, hidden]);
    shapes.set("latent.coords", [manifest.latent.probe_size, 2]);
  }
  return shapes;
}
