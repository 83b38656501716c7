// Validation of the export manifest (docs/export-format.md, format versions 1 and 2), once, at
// load: every field a view reads is checked here, with limits that refuse absurd sizes
// before anything is allocated. Every check throws an Error naming the field, so the page
// can show "<file>: <field> <problem>" without guessing.
import { layerSizes, layersFromSizes, product, weightShape } from "../model/layers.js";
import { parameterCount } from "../model/mlp.js";
import { sameSiteUrl } from "./fetch-file.js";
import { fail, grouped, show } from "./messages.js";
import { checkLatentLayer, checkLayerList } from "./model-layers.js";

export const FORMAT = "mnist-mlp-timeline";
export const FORMAT_VERSIONS = Object.freeze([1, 2]);

/**
 * The largest export this page opens (docs/export-format.md, "Limits"): well above any
 * small MNIST network, well below what would freeze a school tablet.
 */
export const LIMITS = Object.freeze({
  manifestBytes: 16 * 1024 * 1024,
  fileBytes: 64 * 1024 * 1024, // one snapshot, probe or gallery file
  layers: 10, // entries of model.layer_sizes (version 1), input and output included
  layerWidth: 4096, // units of a hidden linear layer
  modelLayers: 24, // entries of model.layers (version 2)
  channels: 256, // in and out channels of a convolution
  kernel: 11, // kernel size and stride of a convolution or pooling window
  layerValues: 65_536, // values one layer outputs (e.g. 16 feature maps of 64×64)
  multiplyAdds: 20_000_000, // of one forward pass: every stroke runs one
  parameters: 2_000_000,
  snapshots: 1000,
  lossPoints: 20_000,
  sampleDigits: 10_000, // probe and gallery digits each
  mistakes: 1000, // listed per snapshot
  validationDigits: 60_000, // held out of MNIST's training set
});

const DIGIT_NAMES = Object.freeze(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
const CLASSES = DIGIT_NAMES.length;

/**
 * The one input shape this page supports, [rows, columns]: MNIST's 28×28. Everything else
 * reads the shape from manifest.model.input.shape; this is the only place that states it.
 * The drawing pad's preprocessing (MNIST's recipe, model/preprocess.js) has been checked
 * against MNIST itself only at this size, so other shapes are refused for now.
 */
export const SUPPORTED_INPUT_SHAPE = Object.freeze([28, 28]);

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value) => Number.isInteger(value) && value >= 1;
const isIndex = (value) => Number.isInteger(value) && value >= 0;
const isFiniteNumber = (value) => typeof value === "number" && Number.isFinite(value);
const isFraction = (value) => isFiniteNumber(value) && value >= 0 && value <= 1;

/** A list of at most `limit` items, each passing `check(item, where)`. */
function checkList(value, where, limit, check) {
  if (!Array.isArray(value)) fail("data.notList", { where, value: show(value) });
  if (value.length > limit) fail("data.tooManyEntries", { where, count: value.length, limit });
  for (const [i, item] of value.entries()) check(item, `${where}[${i}]`);
}

/** Version 1: model.layer_sizes and model.activations (a ReLU MLP). Returns the parameter count. */
function checkLayerSizes(model) {
  const sizes = model.layer_sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every(isCount)) {
    fail("data.layerSizesList", { value: show(sizes) });
  }
  if (sizes.length > LIMITS.layers) fail("data.layerSizesCount", { count: sizes.length, limit: LIMITS.layers });
  const [rows, columns] = SUPPORTED_INPUT_SHAPE;
  if (sizes[0] !== rows * columns) {
    fail("data.layerSizesStart", { inputs: rows * columns, rows, columns, value: show(sizes[0]) });
  }
  if (sizes.at(-1) !== CLASSES) fail("data.layerSizesEnd", { classes: CLASSES, value: show(sizes.at(-1)) });
  const wide = sizes.findIndex((size) => size > LIMITS.layerWidth && size !== sizes[0]);
  if (wide >= 0) fail("data.layerSizesWide", { index: String(wide), value: show(sizes[wide]), limit: LIMITS.layerWidth });
  const parameters = parameterCount(sizes);
  if (parameters > LIMITS.parameters) {
    fail("data.tooManyParameters", { field: "model.layer_sizes", parameters: grouped(parameters), limit: grouped(LIMITS.parameters) });
  }
  const activations = model.activations;
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    fail("data.activationsCount", { count: sizes.length - 1 });
  }
  const hidden = activations.slice(0, -1);
  if (!hidden.every((name) => name === "relu") || activations.at(-1) !== "softmax") {
    fail("data.activationsKinds", { value: show(activations) });
  }
  return parameters;
}

/** The model of either version; returns its layer list (version 1's MLP written as one) and parameter count. */
function checkModel(model, version) {
  if (!isObject(model)) fail("data.modelMissing");
  const [rows, columns] = SUPPORTED_INPUT_SHAPE;
  const parameters = version === 1 ? checkLayerSizes(model) : checkLayerList(model, SUPPORTED_INPUT_SHAPE, CLASSES, LIMITS).parameters;
  const input = model.input;
  if (!isObject(input) || JSON.stringify(input.shape) !== JSON.stringify(SUPPORTED_INPUT_SHAPE)) {
    fail("data.inputShape", { rows, columns });
  }
  if (!isFiniteNumber(input.scale) || input.scale <= 0) fail("data.inputScale");
  if (!isFiniteNumber(input.mean)) fail("data.inputMean");
  if (!isFiniteNumber(input.std) || input.std <= 0) fail("data.inputStd");
  if (model.class_names !== undefined) {
    checkList(model.class_names, "model.class_names", CLASSES, (name, where) => {
      if (typeof name !== "string" || name === "" || name.length > 20) fail("data.shortName", { where });
    });
    if (model.class_names.length !== CLASSES) fail("data.classNamesCount", { count: CLASSES });
  }
  if (model.parameter_count !== undefined && model.parameter_count !== parameters) {
    const field = `model.${version === 1 ? "layer_sizes" : "layers"}`;
    fail("data.parameterCount", { value: show(model.parameter_count), field, parameters });
  }
  if (model.tensor_dtype !== undefined && model.tensor_dtype !== "F16") {
    fail("data.tensorDtype", { value: show(model.tensor_dtype) });
  }
  return { layers: version === 1 ? layersFromSizes(model.layer_sizes) : model.layers, parameters };
}

/** A file entry: its path (inside the manifest's folder), size and sha256; adds its absolute `url`. */
function resolveFile(entry, where, manifestUrl) {
  if (!isObject(entry) || typeof entry.file !== "string" || entry.file === "") fail("data.fileMissing", { where });
  if (entry.bytes !== undefined && !(Number.isInteger(entry.bytes) && entry.bytes > 8 && entry.bytes <= LIMITS.fileBytes)) {
    fail("data.fileBytes", { where, limit: LIMITS.fileBytes, value: show(entry.bytes) });
  }
  if (entry.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(entry.sha256)) {
    fail("data.fileSha", { where });
  }
  let url;
  try {
    url = sameSiteUrl(entry.file, manifestUrl, { within: new URL("./", manifestUrl).href });
  } catch (error) {
    fail("data.filePath", { where, value: show(entry.file), problem: error });
  }
  return { ...entry, url };
}

function checkSampleFile(entry, where, manifestUrl) {
  const resolved = resolveFile(entry, where, manifestUrl);
  if (entry.count !== undefined && !(isCount(entry.count) && entry.count <= LIMITS.sampleDigits)) {
    fail("data.digitCount", { where: `${where}.count`, limit: LIMITS.sampleDigits, value: show(entry.count) });
  }
  return resolved;
}

function checkMetrics(metrics, where, galleryCount) {
  if (metrics === undefined) return;
  if (!isObject(metrics)) fail("data.notObject", { where, value: show(metrics) });
  if (metrics.test_loss !== undefined && !(isFiniteNumber(metrics.test_loss) && metrics.test_loss >= 0)) {
    fail("data.nonNegative", { where: `${where}.test_loss`, value: show(metrics.test_loss) });
  }
  if (metrics.test_accuracy !== undefined && !isFraction(metrics.test_accuracy)) {
    fail("data.fraction", { where: `${where}.test_accuracy`, value: show(metrics.test_accuracy) });
  }
  if (metrics.per_class_accuracy !== undefined) checkPerClass(metrics.per_class_accuracy, `${where}.per_class_accuracy`);
  checkValidationMetrics(metrics, where);
  if (metrics.confusion !== undefined) {
    const confusion = metrics.confusion;
    const square =
      Array.isArray(confusion) && confusion.length === CLASSES && confusion.every((row) => Array.isArray(row) && row.length === CLASSES);
    if (!square) fail("data.confusionSquare", { where: `${where}.confusion`, classes: CLASSES });
    confusion.forEach((row, r) => {
      row.forEach((count, c) => {
        if (!isIndex(count)) fail("data.countCell", { where: `${where}.confusion[${r}][${c}]`, value: show(count) });
      });
    });
  }
  if (metrics.mistakes !== undefined) {
    checkList(metrics.mistakes, `${where}.mistakes`, LIMITS.mistakes, (mistake, at) => {
      if (!isObject(mistake)) fail("data.notObject", { where: at, value: show(mistake) });
      for (const key of ["label", "predicted"]) {
        if (!(isIndex(mistake[key]) && mistake[key] < CLASSES))
          fail("data.classIndex", { where: `${at}.${key}`, last: CLASSES - 1, value: show(mistake[key]) });
      }
      if (!isIndex(mistake.test_index)) fail("data.testIndex", { where: `${at}.test_index`, value: show(mistake.test_index) });
      if (mistake.confidence !== undefined && !isFraction(mistake.confidence)) fail("data.fractionPlain", { where: `${at}.confidence` });
      if (!(isIndex(mistake.gallery_index) && mistake.gallery_index < galleryCount)) {
        fail("data.galleryIndex", { where: `${at}.gallery_index`, last: galleryCount - 1, value: show(mistake.gallery_index) });
      }
    });
  }
}

function checkPerClass(list, where) {
  checkList(list, where, CLASSES, (value, at) => {
    if (!isFraction(value)) fail("data.fraction", { where: at, value: show(value) });
  });
  if (list.length !== CLASSES) fail("data.perClassCount", { where, classes: CLASSES });
}

const VALIDATION_METRICS = ["val_loss", "val_accuracy", "val_per_class_accuracy"];

/** A run with a validation split (--val-size) scores it at every snapshot: all three values or none. */
function checkValidationMetrics(metrics, where) {
  const present = VALIDATION_METRICS.filter((key) => metrics[key] !== undefined);
  if (present.length === 0) return;
  if (present.length < VALIDATION_METRICS.length) {
    const missing = VALIDATION_METRICS.filter((key) => metrics[key] === undefined);
    fail("data.validationMissing", { where: `${where}.${missing[0]}`, at: where, present: present.join(", ") });
  }
  if (!(isFiniteNumber(metrics.val_loss) && metrics.val_loss >= 0)) {
    fail("data.nonNegative", { where: `${where}.val_loss`, value: show(metrics.val_loss) });
  }
  if (!isFraction(metrics.val_accuracy)) fail("data.fraction", { where: `${where}.val_accuracy`, value: show(metrics.val_accuracy) });
  checkPerClass(metrics.val_per_class_accuracy, `${where}.val_per_class_accuracy`);
}

/** The optional `validation` block: the split's size and the snapshot with the lowest validation loss. */
function checkValidation(validation, timeline) {
  if (validation === undefined) return;
  if (!isObject(validation)) fail("data.notObject", { where: "validation", value: show(validation) });
  if (!(isCount(validation.size) && validation.size <= LIMITS.validationDigits)) {
    fail("data.digitCount", { where: "validation.size", limit: LIMITS.validationDigits, value: show(validation.size) });
  }
  const best = validation.best_index;
  if (!(isIndex(best) && best < timeline.length)) {
    fail("data.bestIndex", { last: timeline.length - 1, value: show(best) });
  }
  if (validation.best_id !== timeline[best].id) {
    fail("data.bestId", { value: show(validation.best_id), index: String(best), id: show(timeline[best].id) });
  }
  if (timeline[best].metrics?.val_loss === undefined) fail("data.bestNoLoss", { index: String(best) });
}

function checkTimeline(timeline, manifestUrl, galleryCount) {
  if (!Array.isArray(timeline) || timeline.length === 0) fail("data.timelineEmpty");
  if (timeline.length > LIMITS.snapshots) fail("data.timelineCount", { count: timeline.length, limit: LIMITS.snapshots });
  const ids = new Set();
  return timeline.map((snapshot, position) => {
    const where = `timeline[${position}]`;
    if (!isObject(snapshot)) fail("data.notAnObject", { where });
    if (snapshot.index !== position) fail("data.snapshotIndex", { where, value: show(snapshot.index), position });
    if (typeof snapshot.id !== "string" || !/^[A-Za-z0-9_-]{1,40}$/.test(snapshot.id)) {
      fail("data.snapshotId", { where, value: show(snapshot.id) });
    }
    if (ids.has(snapshot.id)) fail("data.snapshotIdTwice", { where, id: snapshot.id });
    ids.add(snapshot.id);
    if (typeof snapshot.label !== "string" || snapshot.label === "" || snapshot.label.length > 60) {
      fail("data.snapshotLabel", { where, value: show(snapshot.label) });
    }
    if (!Number.isInteger(snapshot.images_seen) || snapshot.images_seen < 0) fail("data.imagesSeen", { where });
    if (position === 0 && snapshot.images_seen !== 0) fail("data.imagesSeenFirst");
    if (position > 0 && snapshot.images_seen <= timeline[position - 1].images_seen) {
      fail("data.imagesSeenOrder", { where });
    }
    checkMetrics(snapshot.metrics, `${where}.metrics`, galleryCount);
    return resolveFile(snapshot, where, manifestUrl);
  });
}

function checkLossHistory(history) {
  if (history === undefined) return;
  if (!isObject(history)) fail("data.notObject", { where: "loss_history", value: show(history) });
  checkList(history.images_seen, "loss_history.images_seen", LIMITS.lossPoints, (value, at) => {
    if (!isIndex(value)) fail("data.imagesCount", { where: at, value: show(value) });
  });
  checkList(history.loss, "loss_history.loss", LIMITS.lossPoints, (value, at) => {
    if (!(isFiniteNumber(value) && value >= 0)) fail("data.nonNegative", { where: at, value: show(value) });
  });
  if (history.loss.length !== history.images_seen.length) fail("data.lossLengths");
}

/**
 * Check a parsed manifest and return a copy whose file entries carry absolute `url`s
 * (and whose model has its class_names).
 */
export function validateManifest(json, manifestUrl) {
  if (!isObject(json)) fail("data.notJsonObject");
  if (json.format !== FORMAT) fail("data.format", { format: FORMAT, value: show(json.format) });
  if (!FORMAT_VERSIONS.includes(json.format_version)) {
    const versions = FORMAT_VERSIONS.slice(0, -1).join(", ");
    fail("data.formatVersion", { value: show(json.format_version), versions, last: String(FORMAT_VERSIONS.at(-1)) });
  }
  const { layers, parameters } = checkModel(json.model, json.format_version);
  const manifest = { ...json, url: new URL(manifestUrl).href };
  for (const key of ["probe", "gallery"]) {
    if (json[key] !== undefined) manifest[key] = checkSampleFile(json[key], key, manifestUrl);
  }
  const galleryCount = manifest.gallery?.count ?? (manifest.gallery ? LIMITS.sampleDigits : 0);
  manifest.timeline = checkTimeline(json.timeline, manifestUrl, galleryCount);
  // Class names are optional in the format: the views always get ten. Both versions give
  // the views the layer list and the values per stage (layer_sizes: the input, then every
  // layer's output, flatten included, so result.activations[l + 1] is layers[l]'s output).
  manifest.model = {
    ...json.model,
    class_names: json.model.class_names ?? DIGIT_NAMES,
    layers,
    layer_sizes: layerSizes(layers),
    parameter_count: parameters,
  };
  if (json.latent !== undefined) {
    if (!(isObject(json.latent) && isCount(json.latent.probe_size) && json.latent.probe_size <= LIMITS.sampleDigits)) {
      fail("data.latentProbeSize", { limit: LIMITS.sampleDigits });
    }
    if (json.format_version === 2) checkLatentLayer(json.latent, layers);
    if (manifest.probe?.count !== undefined && manifest.probe.count !== json.latent.probe_size) {
      fail("data.latentProbeCount", { size: json.latent.probe_size, count: manifest.probe.count });
    }
  }
  checkLossHistory(json.loss_history);
  checkValidation(json.validation, manifest.timeline);
  const trainSize = json.training?.dataset?.train_size;
  if (trainSize !== undefined && !isCount(trainSize))
    fail("data.positiveInteger", { where: "training.dataset.train_size", value: show(trainSize) });
  return manifest;
}

/** The tensors every snapshot must hold, and no others: Map<name, shape>. */
export function snapshotShapes(manifest) {
  const { layers } = manifest.model;
  const shapes = new Map();
  for (const layer of layers) {
    const shape = weightShape(layer);
    if (!shape) continue;
    shapes.set(layer.weight, shape);
    if (layer.bias) shapes.set(layer.bias, [shape[0]]);
  }
  if (manifest.latent) {
    // The input of the last layer (version 1: the last hidden layer; version 2: latent.layer's output).
    const hidden = product(layers.at(-1).input_shape);
    shapes.set("latent.mean", [hidden]);
    shapes.set("latent.components", [2, hidden]);
    shapes.set("latent.coords", [manifest.latent.probe_size, 2]);
  }
  return shapes;
}
