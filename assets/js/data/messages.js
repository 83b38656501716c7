// What the data layer says when an export is broken: the one table of its English templates
// (i18n/en.js takes them into the page's catalogue, so German translates the same keys) and
// DataError, which carries the template's key and parameters besides the English message.
// The message is for logs, Node and deploy's check; the page renders key + params in its
// own language (panels/error-detail.js). Parameters are data (strings: field paths, JSON as
// written, file names: never translated), quantities (numbers: written per language on the
// page), nested errors (a DataError is rendered in turn) and foreign English text (another
// Error, e.g. the browser's JSON.parse message, or english(text)).

export const DATA_MESSAGES = {
  // manifest.js
  "data.notList": "{where} must be a list, got {value}",
  "data.tooManyEntries": "{where} has {count} entries, more than the {limit} this page accepts",
  "data.layerSizesList": "model.layer_sizes must be a list of at least 2 positive integers, got {value}",
  "data.layerSizesCount": "model.layer_sizes has {count} layers, more than the {limit} this page shows",
  "data.layerSizesStart": "model.layer_sizes must start with {inputs} ({rows}×{columns} inputs), got {value}",
  "data.layerSizesEnd": "model.layer_sizes must end with {classes} (digits), got {value}",
  "data.layerSizesWide": "model.layer_sizes[{index}] is {value}, wider than the {limit} this page shows",
  "data.tooManyParameters": "{field} make {parameters} parameters, more than the {limit} this page shows",
  "data.activationsCount": "model.activations must have {count} entries (one per non-input layer)",
  "data.activationsKinds": "model.activations must be relu for hidden layers and softmax last, got {value}",
  "data.modelMissing": "model is missing",
  "data.inputShape": "model.input.shape must be [{rows}, {columns}]",
  "data.inputScale": "model.input.scale must be a positive number",
  "data.inputMean": "model.input.mean must be a number",
  "data.inputStd": "model.input.std must be a positive number",
  "data.shortName": "{where} must be a short name",
  "data.classNamesCount": "model.class_names must list {count} names",
  "data.parameterCount": "model.parameter_count is {value}, but {field} make {parameters}",
  "data.tensorDtype": "model.tensor_dtype must be F16, got {value}",
  "data.fileMissing": "{where}.file is missing",
  "data.fileBytes": "{where}.bytes must be a file size in bytes (at most {limit}), got {value}",
  "data.fileSha": "{where}.sha256 must be 64 lowercase hex digits",
  "data.filePath": "{where}.file must be a path relative to the manifest, inside its folder, got {value} ({problem})",
  "data.digitCount": "{where} must be a number of digits from 1 to {limit}, got {value}",
  "data.notObject": "{where} must be an object, got {value}",
  "data.nonNegative": "{where} must be a non-negative number, got {value}",
  "data.fraction": "{where} must be a number in [0, 1], got {value}",
  "data.fractionPlain": "{where} must be a number in [0, 1]",
  "data.confusionSquare": "{where} must be a {classes}×{classes} table of counts",
  "data.countCell": "{where} must be a count, got {value}",
  "data.classIndex": "{where} must be a class from 0 to {last}, got {value}",
  "data.testIndex": "{where} must be a test-set index, got {value}",
  "data.galleryIndex": "{where} must be a row of the gallery (0 to {last}), got {value}",
  "data.perClassCount": "{where} must list {classes} accuracies",
  "data.validationMissing": "{where} is missing ({at} has {present}: a validation split gives all three)",
  "data.bestIndex": "validation.best_index must be a snapshot index from 0 to {last}, got {value}",
  "data.bestId": "validation.best_id is {value}, but timeline[{index}].id is {id}",
  "data.bestNoLoss": "validation.best_index names timeline[{index}], which has no val_loss",
  "data.timelineEmpty": "timeline must be a non-empty list of snapshots",
  "data.timelineCount": "timeline has {count} snapshots, more than the {limit} this page accepts",
  "data.notAnObject": "{where} is not an object",
  "data.snapshotIndex": "{where}.index is {value}, expected {position} (timeline out of order)",
  "data.snapshotId": '{where}.id must be 1–40 letters, digits, "_" or "-", got {value}',
  "data.snapshotIdTwice": '{where}.id "{id}" is used twice',
  "data.snapshotLabel": "{where}.label must be a short text, got {value}",
  "data.imagesSeen": "{where}.images_seen must be a non-negative integer",
  "data.imagesSeenFirst": "timeline[0].images_seen must be 0 (the untrained network)",
  "data.imagesSeenOrder": "{where}.images_seen must be larger than the previous snapshot's (timeline out of order)",
  "data.imagesCount": "{where} must be a number of images, got {value}",
  "data.lossLengths": "loss_history.loss and loss_history.images_seen differ in length",
  "data.notJsonObject": "the manifest is not a JSON object",
  "data.format": 'format must be "{format}", got {value}',
  "data.formatVersion": "unsupported format_version {value} (this page reads versions {versions} and {last})",
  "data.latentProbeSize": "latent.probe_size must be a number of digits from 1 to {limit}",
  "data.latentProbeCount": "latent.probe_size is {size}, but probe.count is {count}",
  "data.positiveInteger": "{where} must be a positive integer, got {value}",
  // model-layers.js
  "data.integerRange": "{where} must be an integer from 1 to {limit}, got {value}",
  "data.padding": "{where}.padding must be an integer from 0 to kernel_size − 1 ({last}), got {value}",
  "data.inChannels": "{where}.in_channels is {value}, but its input has {channels} channels",
  "data.poolPadding": "{where}.padding must be 0 (max-pooling here has no padding)",
  "data.inFeatures": "{where}.in_features is {value}, but its input has {count} values",
  "data.tensorName": '{where} must name a tensor (letters, digits, "_", "." or "-"), got {value}',
  "data.tensorNameTwice": '{where} "{name}" names a tensor another layer uses',
  "data.layersEmpty": "model.layers must be a non-empty list, got {value}",
  "data.layersCount": "model.layers has {count} layers, more than the {limit} this page shows",
  "data.layerType": "{where}.type must be one of {types}, got {value}",
  "data.activation": "{where}.activation must be null or one of {names}, got {value}",
  "data.shape": "{where} must be [n] or [channels, rows, columns] of positive integers, got {value}",
  "data.inputAfter": "{where}.input_shape is {value}, but {from} makes {expected}",
  "data.inputFirst": "{where}.input_shape is {value}, but the {rows}×{columns} input makes {expected}",
  "data.mapInput": "{where} ({type}) needs a [channels, rows, columns] input, got {value}",
  "data.linearInput": "{where} (linear) needs a vector input (flatten first), got {value}",
  "data.windowFit": "{where}: its window does not fit its {value} input",
  "data.outputShape": "{where}.output_shape is {value}, but its input and settings make {expected}",
  "data.layerValues": "{where} outputs {values} values, more than the {limit} this page shows",
  "data.lastLayer": "the last of model.layers must be a linear layer with {classes} outputs (the digits), got {type} {value}",
  "data.lastActivation": "the last of model.layers must have activation null (its outputs are the logits), got {value}",
  "data.multiplyAdds": "model.layers take {count} multiply-adds per drawing, more than the {limit} this page computes on every stroke",
  "data.latentNoHidden": "latent needs a hidden layer: this model is a single linear layer",
  "data.latentLayer": "latent.layer must be {expected} (the layer feeding the last linear layer), got {value}",
  // export-files.js
  "data.truncated": "truncated file: {bytes} bytes, the manifest says {listed}",
  "data.wrongSize": "wrong size: {bytes} bytes, the manifest says {listed}",
  "data.hashMismatch": "sha256 does not match the manifest (corrupt or replaced file)",
  "data.unexpectedTensor": 'unexpected tensor "{name}": the manifest\'s model has no such tensor',
  "data.tensorMissing": 'tensor "{name}" is missing',
  "data.tensorDtypeWrong": 'tensor "{name}" is {dtype}, the manifest needs {needed}',
  "data.shapeMismatch": 'shape mismatch: "{name}" is {shape}, the manifest needs {needed}',
  "data.notFinite": 'tensor "{name}" contains {value} (not a finite number)',
  "data.unexpectedSampleTensor": 'unexpected tensor "{name}"',
  "data.sampleTensors": "needs the tensors images, labels and test_indices",
  "data.imagesShape": "images must be U8 [{expected}], got {dtype} {shape}",
  "data.labelsShape": "labels must be U8 [{count}] and test_indices I32 [{count}]",
  "data.badLabel": "labels[{index}] is {value}, not a class (0–{last})",
  "data.badTestIndex": "test_indices[{index}] is {value}, not a test-set index",
  "data.sampleCountMismatch": "holds {count} digits, the manifest says {listed}",
  // export-loader.js, fetch-file.js
  "data.inFile": "{path}: {problem}",
  "data.manifestJson": "the manifest is a .json file",
  "data.refused": "{name}={requested} was refused: {problem}",
  "data.notJson": "not valid JSON ({problem})",
  "data.http": "HTTP {status}",
  "data.httpText": "HTTP {status} {text}",
  "data.timeout": "{path}: did not arrive within {seconds} s (the server did not answer; check the connection and retry)",
  "data.notLoaded": "{path}: could not be loaded ({problem})",
  "data.tooLarge": "{bytes} bytes or more, larger than the {limit} bytes this page accepts for it",
  "data.pathEmpty": "the path is empty",
  "data.pathForeign": "only relative paths on this site are allowed",
  "data.pathAbsolute": "use a relative path, like exports/other.json",
  "data.pathQuery": 'a path cannot hold "?" or "#"',
  "data.pathPercent": 'a "%" must start an escape like %20',
  "data.pathLeaves": "it leaves its folder",
  // safetensors.js, float16.js
  "data.headerMissing": "truncated file: {bytes} bytes, the 8-byte header length is missing",
  "data.headerLength": "bad header length {length}",
  "data.headerTruncated": "truncated file: header of {length} bytes but only {bytes} bytes follow",
  "data.headerJson": "header is not valid JSON ({problem})",
  "data.headerObject": "header is not a JSON object",
  "data.tensorDtypeUnknown": 'tensor "{name}" has unknown dtype {value}',
  "data.tensorShapeInvalid": 'tensor "{name}" has an invalid shape {value}',
  "data.tensorOffsets": 'tensor "{name}" has invalid data_offsets {value}',
  "data.offsetsRange": 'tensor "{name}" offsets [{begin}, {end}] are out of range (data is {bytes} bytes; truncated file?)',
  "data.tensorBytes": 'tensor "{name}" has {bytes} bytes but shape {shape} {dtype} needs {expected}',
  "data.float16Odd": "float16 data has an odd byte length ({bytes})",
  // local-files.js, probe-digits.js, snapshot-store.js
  "data.noManifest": "the opened files hold no manifest (.json): open the manifest together with its folder",
  "data.manyManifests": "the opened files hold {count} manifests ({names}): open one manifest together with its folder",
  "data.noProbe": "this export has no probe set of test digits",
  "data.probeHasNo": "the probe set has no {digit}",
  "data.noSnapshot": "there is no snapshot {index}",
};

/** A quantity the English message writes with thousands separators (as "2,000,000"). */
/** A value as a message quotes it: its JSON, cut to 60 characters. */
export const show = (value) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

export const grouped = (number) => ({ number, grouped: true });

/** Text that is English whatever the page's language (a server's status text). */
export const english = (text) => ({ english: String(text) });

/** `template` with every {name} replaced by `each(params[name])` (unknown names stay). */
export function fillTemplate(template, params, each) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? each(params[name]) : whole));
}

/** A parameter as the English message writes it. */
export function englishValue(value) {
  if (value instanceof Error) return value.message;
  if (typeof value === "number") return String(value);
  if (value?.grouped) return value.number.toLocaleString("en");
  if (value?.english !== undefined) return value.english;
  return String(value);
}

/** An error of an export's data: `key` (of DATA_MESSAGES) and `params`, and the English message. */
export class DataError extends Error {
  constructor(key, params = {}) {
    if (!Object.hasOwn(DATA_MESSAGES, key)) throw new TypeError(`no data message ${key}`);
    super(fillTemplate(DATA_MESSAGES[key], params, englishValue));
    this.key = key;
    this.params = params;
  }
}

/** Throw a DataError (for the validators' one-line checks). */
export function fail(key, params) {
  throw new DataError(key, params);
}
