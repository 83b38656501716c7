// A corpus of broken exports made from the committed default export: every manifest field
// wrong in type, range and shape, and snapshot, probe and gallery files truncated, lying,
// of the wrong dtype or shape, non-finite, with extra or missing tensors, or not data at all.
//
// Each case: { name, stage, expect, manifest, files }
//   stage   where the problem must be caught: "manifest" (validateManifest), "snapshot"
//           (readSnapshot of timeline[0]), "probe" or "gallery" (readSampleSet)
//   expect  a RegExp the error message must match: it names the field or tensor
//   manifest the broken manifest (JSON value, or a string of text that is not JSON)
//   files   Map of replaced files: path relative to exports/ → bytes
//
// As a program, `node tests/js/broken-exports.mjs SITE_DIR` writes every case into a copy
// of the site: exports/broken-NNN.json (+ exports/broken-NNN/…) and prints the index as JSON,
// for the browser tests and deploy's check.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const EXPORTS = join(REPO, "tests", "fixtures", "version1"); // the committed MLP in version 1 (tests/js/version1-export.mjs)

const clone = (value) => structuredClone(value);
export const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** The committed export: its manifest and the bytes of the files the corpus breaks. */
export function loadDefaultExport() {
  const manifest = JSON.parse(readFileSync(join(EXPORTS, "mlp_weights.json"), "utf8"));
  const read = (file) => new Uint8Array(readFileSync(join(EXPORTS, file)));
  return {
    manifest,
    snapshot: read(manifest.timeline[0].file),
    probe: read(manifest.probe.file),
    gallery: read(manifest.gallery.file),
  };
}

// ---- safetensors, written here independently of the page's parser ----

function parse(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  const data = bytes.subarray(8 + length);
  const tensors = new Map();
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [begin, end] = info.data_offsets;
    tensors.set(name, { dtype: info.dtype, shape: info.shape, bytes: data.slice(begin, end) });
  }
  return { metadata: header.__metadata__, tensors };
}

function encode({ metadata, tensors }) {
  const header = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + tensor.bytes.length] };
    offset += tensor.bytes.length;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    out.set(tensor.bytes, at);
    at += tensor.bytes.length;
  }
  return out;
}

/** A file with its tensors changed by `change(tensors)`. */
export function retensor(bytes, change) {
  const file = parse(bytes);
  change(file.tensors);
  return encode(file);
}

const F16 = { nan: [0x00, 0x7e], inf: [0x00, 0x7c] };

// ---- the cases ----

function manifestCases(base) {
  const cases = [];
  /** A case made by changing a copy of the manifest in place. */
  const add = (name, expect, change) => {
    const manifest = clone(base);
    change(manifest);
    cases.push({ name, stage: "manifest", expect, manifest, files: new Map() });
  };
  /** A case whose whole manifest is `manifest` (a JSON value, or text). */
  const replace = (name, expect, manifest) => cases.push({ name, stage: "manifest", expect, manifest, files: new Map() });
  const entry = (m) => m.timeline[1];
  const metrics = (m) => m.timeline[1].metrics;

  replace("not an object: list", /not a JSON object/, []);
  replace("not an object: null", /not a JSON object/, null);
  replace("not an object: number", /not a JSON object/, 42);
  replace("not JSON", /not valid JSON/, '{"format": "mnist-mlp-timeline", ');
  replace("HTML instead of JSON", /not valid JSON/, "<!doctype html><title>404</title>");
  for (const [label, value] of [
    ["missing", undefined],
    ["number", 5],
    ["other", "mnist-cnn"],
  ]) {
    add(`format ${label}`, /format must be/, (m) => void (m.format = value));
  }
  for (const [label, value] of [
    ["missing", undefined],
    ["string", "1"],
    ["3", 3],
    ["fraction", 1.5],
  ]) {
    add(`format_version ${label}`, /format_version/, (m) => void (m.format_version = value));
  }
  add("model missing", /model is missing/, (m) => void delete m.model);
  add("model a list", /model is missing/, (m) => {
    m.model = [];
  });
  for (const [label, sizes, expect] of [
    ["missing", undefined, /model.layer_sizes must be a list/],
    ["empty", [], /model.layer_sizes must be a list/],
    ["one layer", [784], /model.layer_sizes must be a list/],
    ["text", "784,128,10", /model.layer_sizes must be a list/],
    ["negative", [784, -5, 10], /model.layer_sizes must be a list/],
    ["fraction", [784, 1.5, 10], /model.layer_sizes must be a list/],
    ["zero", [784, 0, 10], /model.layer_sizes must be a list/],
    ["string entry", [784, "128", 10], /model.layer_sizes must be a list/],
    ["wrong input", [785, 128, 10], /must start with 784/],
    ["wrong output", [784, 128, 9], /must end with 10/],
    ["a billion wide", [784, 1_000_000_000, 10], /model.layer_sizes\[1\] is 1000000000, wider than/],
    ["three million wide", [784, 3_000_000, 10], /wider than the 4096/],
    ["too many parameters", [784, 4096, 4096, 10], /parameters, more than/],
    ["too many layers", [784, 8, 8, 8, 8, 8, 8, 8, 8, 8, 10], /more than the 10 this page shows/],
  ]) {
    add(`layer_sizes ${label}`, expect, (m) => {
      m.model.layer_sizes = sizes;
      if (Array.isArray(sizes) && sizes.length > 1) {
        m.model.activations = [...Array(sizes.length - 2).fill("relu"), "softmax"];
        delete m.model.parameter_count;
      }
    });
  }
  for (const [label, activations] of [
    ["missing", undefined],
    ["too few", ["relu", "softmax"]],
    ["tanh", ["tanh", "relu", "softmax"]],
    ["no softmax", ["relu", "relu", "relu"]],
    ["text", "relu"],
  ]) {
    add(`activations ${label}`, /model.activations/, (m) => void (m.model.activations = activations));
  }
  for (const [label, change, expect] of [
    ["input missing", (m) => delete m.model.input, /model.input.shape/],
    ["shape 32×32", (m) => (m.model.input.shape = [32, 32]), /model.input.shape must be \[28, 28\]/],
    ["shape text", (m) => (m.model.input.shape = "28x28"), /model.input.shape/],
    ["scale 0", (m) => (m.model.input.scale = 0), /model.input.scale/],
    ["scale text", (m) => (m.model.input.scale = "255"), /model.input.scale/],
    ["mean null", (m) => (m.model.input.mean = null), /model.input.mean/],
    ["std 0", (m) => (m.model.input.std = 0), /model.input.std/],
    ["std negative", (m) => (m.model.input.std = -0.3), /model.input.std/],
    ["class_names nine", (m) => (m.model.class_names = m.model.class_names.slice(1)), /model.class_names must list 10/],
    ["class_names numbers", (m) => (m.model.class_names = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), /model.class_names\[0\]/],
    ["class_names empty name", (m) => (m.model.class_names[3] = ""), /model.class_names\[3\]/],
    ["class_names text", (m) => (m.model.class_names = "0123456789"), /model.class_names must be a list/],
    ["parameter_count wrong", (m) => (m.model.parameter_count = 1234), /model.parameter_count is 1234/],
    ["parameter_count text", (m) => (m.model.parameter_count = "109386"), /model.parameter_count/],
    ["tensor_dtype F32", (m) => (m.model.tensor_dtype = "F32"), /model.tensor_dtype must be F16/],
  ]) {
    add(`model ${label}`, expect, change);
  }
  for (const [label, change, expect] of [
    ["missing", (m) => delete m.timeline, /timeline must be a non-empty list/],
    ["empty", (m) => (m.timeline = []), /timeline must be a non-empty list/],
    ["object", (m) => (m.timeline = {}), /timeline must be a non-empty list/],
    [
      "1001 snapshots",
      (m) => {
        m.timeline = Array.from({ length: 1001 }, (_, i) => ({ ...m.timeline[0], index: i, id: `s${i}`, images_seen: i }));
      },
      /timeline has 1001 snapshots, more than/,
    ],
    ["entry a number", (m) => (m.timeline[1] = 7), /timeline\[1\] is not an object/],
    ["index wrong", (m) => (entry(m).index = 5), /timeline\[1\].index is 5/],
    ["index text", (m) => (entry(m).index = "1"), /timeline\[1\].index/],
    ["id missing", (m) => delete entry(m).id, /timeline\[1\].id must be/],
    ["id number", (m) => (entry(m).id = 3), /timeline\[1\].id must be/],
    ["id markup", (m) => (entry(m).id = "<img src=x onerror=alert(1)>"), /timeline\[1\].id must be/],
    ["id too long", (m) => (entry(m).id = "x".repeat(41)), /timeline\[1\].id must be/],
    ["id duplicate", (m) => (entry(m).id = m.timeline[0].id), /timeline\[1\].id "init" is used twice/],
    ["label missing", (m) => delete entry(m).label, /timeline\[1\].label must be a short text/],
    ["label number", (m) => (entry(m).label = 50), /timeline\[1\].label must be a short text/],
    ["label empty", (m) => (entry(m).label = ""), /timeline\[1\].label/],
    ["label huge", (m) => (entry(m).label = "x".repeat(500)), /timeline\[1\].label/],
    ["images_seen negative", (m) => (entry(m).images_seen = -1), /timeline\[1\].images_seen/],
    ["images_seen fraction", (m) => (entry(m).images_seen = 50.5), /timeline\[1\].images_seen/],
    ["images_seen text", (m) => (entry(m).images_seen = "50"), /timeline\[1\].images_seen/],
    ["images_seen not increasing", (m) => (entry(m).images_seen = m.timeline[2].images_seen), /timeline\[2\].images_seen must be larger/],
    ["first images_seen", (m) => (m.timeline[0].images_seen = 5), /timeline\[0\].images_seen must be 0/],
  ]) {
    add(`timeline ${label}`, expect, change);
  }
  for (const [label, file] of [
    ["missing", undefined],
    ["number", 12],
    ["https", "https://evil.example/x.safetensors"],
    ["protocol-relative", "//evil.example/x.safetensors"],
    ["root", "/etc/passwd"],
    ["leaves the folder", "../../../etc/passwd"],
    ["leaves via subfolder", "mlp_weights/../../x.safetensors"],
    ["javascript", "javascript:alert(1)"],
    ["data URL", "data:application/octet-stream;base64,AAAA"],
    ["backslash", "mlp_weights\\001.safetensors"],
    ["query", "mlp_weights/001.safetensors?x=1"],
    ["fragment", "mlp_weights/001.safetensors#x"],
    ["bad escape", "mlp_weights/%zz.safetensors"],
  ]) {
    add(`snapshot file ${label}`, /timeline\[1\].file/, (m) => void (entry(m).file = file));
  }
  for (const [label, bytes] of [
    ["zero", 0],
    ["negative", -1],
    ["text", "224000"],
    ["terabyte", 1e12],
  ]) {
    add(`snapshot bytes ${label}`, /timeline\[1\].bytes must be a file size/, (m) => void (entry(m).bytes = bytes));
  }
  add("snapshot sha256 short", /timeline\[1\].sha256/, (m) => void (entry(m).sha256 = "xyz"));
  add("snapshot sha256 uppercase", /timeline\[1\].sha256/, (m) => void (entry(m).sha256 = entry(m).sha256.toUpperCase()));
  for (const [label, change, expect] of [
    ["not an object", (m) => (entry(m).metrics = "good"), /timeline\[1\].metrics must be an object/],
    ["test_loss negative", (m) => (metrics(m).test_loss = -1), /metrics.test_loss/],
    ["test_loss text", (m) => (metrics(m).test_loss = "NaN"), /metrics.test_loss/],
    ["test_loss null", (m) => (metrics(m).test_loss = null), /metrics.test_loss/],
    ["test_accuracy 3", (m) => (metrics(m).test_accuracy = 3), /metrics.test_accuracy must be a number in \[0, 1\]/],
    ["test_accuracy negative", (m) => (metrics(m).test_accuracy = -0.1), /metrics.test_accuracy/],
    ["test_accuracy text", (m) => (metrics(m).test_accuracy = "0.9"), /metrics.test_accuracy/],
    ["per_class nine", (m) => (metrics(m).per_class_accuracy = metrics(m).per_class_accuracy.slice(1)), /per_class_accuracy/],
    ["per_class eleven", (m) => metrics(m).per_class_accuracy.push(0.5), /per_class_accuracy has 11 entries/],
    ["per_class text", (m) => (metrics(m).per_class_accuracy = "high"), /per_class_accuracy must be a list/],
    ["per_class value 2", (m) => (metrics(m).per_class_accuracy[4] = 2), /per_class_accuracy\[4\]/],
    ["confusion 9 rows", (m) => metrics(m).confusion.pop(), /metrics.confusion must be a 10×10 table/],
    ["confusion short row", (m) => metrics(m).confusion[2].pop(), /metrics.confusion must be a 10×10 table/],
    ["confusion text", (m) => (metrics(m).confusion = "diagonal"), /metrics.confusion must be a 10×10 table/],
    ["confusion negative", (m) => (metrics(m).confusion[1][2] = -4), /metrics.confusion\[1\]\[2\] must be a count/],
    ["confusion fraction", (m) => (metrics(m).confusion[0][0] = 1.5), /metrics.confusion\[0\]\[0\]/],
    ["confusion text cell", (m) => (metrics(m).confusion[9][9] = "9"), /metrics.confusion\[9\]\[9\]/],
    ["mistakes text", (m) => (metrics(m).mistakes = "many"), /metrics.mistakes must be a list/],
    ["mistakes object", (m) => (metrics(m).mistakes = {}), /metrics.mistakes must be a list/],
    [
      "mistakes 1001",
      (m) => (metrics(m).mistakes = Array(1001).fill(metrics(m).mistakes[0] ?? m.timeline.at(-1).metrics.mistakes[0])),
      /metrics.mistakes has 1001 entries/,
    ],
    ["mistake not object", (m) => (metrics(m).mistakes = [5]), /metrics.mistakes\[0\] must be an object/],
  ]) {
    add(`metrics ${label}`, expect, change);
  }
  const mistake = (m) => m.timeline.at(-1).metrics.mistakes[0];
  for (const [label, change, expect] of [
    ["label missing", (m) => delete mistake(m).label, /mistakes\[0\].label must be a class/],
    ["label 10", (m) => (mistake(m).label = 10), /mistakes\[0\].label must be a class/],
    ["predicted -1", (m) => (mistake(m).predicted = -1), /mistakes\[0\].predicted/],
    ["predicted text", (m) => (mistake(m).predicted = "3"), /mistakes\[0\].predicted/],
    ["test_index negative", (m) => (mistake(m).test_index = -3), /mistakes\[0\].test_index/],
    ["confidence 2", (m) => (mistake(m).confidence = 2), /mistakes\[0\].confidence/],
    ["gallery_index beyond", (m) => (mistake(m).gallery_index = m.gallery.count), /mistakes\[0\].gallery_index must be a row/],
    ["gallery_index text", (m) => (mistake(m).gallery_index = "1"), /mistakes\[0\].gallery_index/],
  ]) {
    add(`mistake ${label}`, expect, change);
  }
  for (const key of ["probe", "gallery"]) {
    for (const [label, change, expect] of [
      ["not an object", (m) => (m[key] = "file"), new RegExp(`${key}.file is missing`)],
      ["file missing", (m) => delete m[key].file, new RegExp(`${key}.file is missing`)],
      ["file leaves", (m) => (m[key].file = "../secret.safetensors"), new RegExp(`${key}.file must be a path`)],
      ["file absolute", (m) => (m[key].file = "https://evil.example/p.safetensors"), new RegExp(`${key}.file must be a path`)],
      ["bytes text", (m) => (m[key].bytes = "big"), new RegExp(`${key}.bytes`)],
      ["sha256 short", (m) => (m[key].sha256 = "00"), new RegExp(`${key}.sha256`)],
      ["count 0", (m) => (m[key].count = 0), new RegExp(`${key}.count`)],
      ["count huge", (m) => (m[key].count = 20_000), new RegExp(`${key}.count`)],
      ["count text", (m) => (m[key].count = "1000"), new RegExp(`${key}.count`)],
    ]) {
      add(`${key} ${label}`, expect, change);
    }
  }
  for (const [label, change, expect] of [
    ["not an object", (m) => (m.latent = 3), /latent.probe_size/],
    ["probe_size 0", (m) => (m.latent.probe_size = 0), /latent.probe_size/],
    ["probe_size text", (m) => (m.latent.probe_size = "1000"), /latent.probe_size/],
    ["probe_size huge", (m) => (m.latent.probe_size = 20_000), /latent.probe_size/],
    ["probe_size differs", (m) => (m.latent.probe_size = 999), /latent.probe_size is 999, but probe.count is 1000/],
    ["loss_history text", (m) => (m.loss_history = "down"), /loss_history must be an object/],
    ["loss_history no images_seen", (m) => delete m.loss_history.images_seen, /loss_history.images_seen must be a list/],
    ["loss_history loss text", (m) => (m.loss_history.loss = "0.1"), /loss_history.loss must be a list/],
    ["loss_history lengths", (m) => m.loss_history.loss.pop(), /differ in length/],
    [
      "loss_history 780,000 points",
      (m) => {
        m.loss_history = { images_seen: Array.from({ length: 780_000 }, (_, i) => i), loss: Array(780_000).fill(1) };
      },
      /loss_history.images_seen has 780000 entries, more than/,
    ],
    ["loss_history negative loss", (m) => (m.loss_history.loss[5] = -1), /loss_history.loss\[5\]/],
    ["loss_history null loss", (m) => (m.loss_history.loss[6] = null), /loss_history.loss\[6\]/],
    ["loss_history fraction images", (m) => (m.loss_history.images_seen[7] = 1.5), /loss_history.images_seen\[7\]/],
    ["train_size 0", (m) => (m.training.dataset.train_size = 0), /training.dataset.train_size/],
    ["train_size text", (m) => (m.training.dataset.train_size = "60000"), /training.dataset.train_size/],
  ]) {
    add(label, expect, change);
  }
  // A run with --val-size: validation metrics at every snapshot and the best one named.
  const validated = (m) => {
    for (const snapshot of m.timeline) {
      Object.assign(snapshot.metrics, { val_loss: 0.5, val_accuracy: 0.9, val_per_class_accuracy: Array(10).fill(0.9) });
    }
    m.validation = { size: 5000, best_index: 1, best_id: m.timeline[1].id };
    return m;
  };
  for (const [label, change, expect] of [
    ["validation not object", (m) => (m.validation = 5000), /validation must be an object/],
    ["validation size 0", (m) => (m.validation.size = 0), /validation.size must be a number of digits/],
    ["validation size text", (m) => (m.validation.size = "5000"), /validation.size/],
    ["validation size huge", (m) => (m.validation.size = 1e9), /validation.size .* to 60000/],
    [
      "validation best past the end",
      (m) => (m.validation.best_index = m.timeline.length),
      /validation.best_index must be a snapshot index/,
    ],
    ["validation best negative", (m) => (m.validation.best_index = -1), /validation.best_index/],
    ["validation best fraction", (m) => (m.validation.best_index = 1.5), /validation.best_index/],
    ["validation best_id other", (m) => (m.validation.best_id = m.timeline[2].id), /validation.best_id is .*, but timeline\[1\].id is/],
    ["val_loss negative", (m) => (metrics(m).val_loss = -0.1), /timeline\[1\].metrics.val_loss must be a non-negative number/],
    ["val_loss text", (m) => (metrics(m).val_loss = "low"), /metrics.val_loss/],
    ["val_loss missing", (m) => delete metrics(m).val_loss, /metrics.val_loss is missing/],
    ["val_accuracy 2", (m) => (metrics(m).val_accuracy = 2), /metrics.val_accuracy must be a number in \[0, 1\]/],
    ["val_accuracy null", (m) => (metrics(m).val_accuracy = null), /metrics.val_accuracy/],
    ["val_per_class nine", (m) => metrics(m).val_per_class_accuracy.pop(), /val_per_class_accuracy must list 10/],
    ["val_per_class value 2", (m) => (metrics(m).val_per_class_accuracy[3] = 2), /val_per_class_accuracy\[3\]/],
    ["val_per_class missing", (m) => delete metrics(m).val_per_class_accuracy, /val_per_class_accuracy is missing/],
    [
      "validation best without val_loss",
      (m) => {
        for (const key of ["val_loss", "val_accuracy", "val_per_class_accuracy"]) delete metrics(m)[key];
      },
      /validation.best_index names timeline\[1\], which has no val_loss/,
    ],
  ]) {
    add(label, expect, (m) => change(validated(m)));
  }
  return cases;
}

function fileCases(base, files) {
  const cases = [];
  /** A case whose `which` file ("snapshot", "probe", "gallery") is replaced by `bytes`. */
  const add = (which, name, expect, bytes, { keepListedHash = false } = {}) => {
    const manifest = clone(base);
    const entry = which === "snapshot" ? manifest.timeline[0] : manifest[which];
    const path = `broken/${which}.safetensors`;
    entry.file = path;
    if (!keepListedHash) {
      // Size and hash match the broken file: its content itself must be caught.
      entry.bytes = bytes.length;
      entry.sha256 = sha256(bytes);
    }
    if (entry.bytes <= 8) delete entry.bytes;
    cases.push({ name: `${which}: ${name}`, stage: which, expect, manifest, files: new Map([[path, bytes]]) });
  };
  const snapshot = files.snapshot;
  const header = Number(new DataView(snapshot.buffer, snapshot.byteOffset).getBigUint64(0, true));
  const withHeader = (text) => {
    const json = new TextEncoder().encode(text);
    const out = new Uint8Array(8 + json.length + 16);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    return out;
  };
  add("snapshot", "truncated (listed size)", /truncated file/, snapshot.slice(0, snapshot.length >> 1), { keepListedHash: true });
  add("snapshot", "longer than listed", /wrong size/, new Uint8Array([...snapshot, 0, 0]), { keepListedHash: true });
  add(
    "snapshot",
    "one byte changed (listed sha256)",
    /sha256 does not match/,
    (() => {
      const copy = snapshot.slice();
      copy[copy.length - 1] ^= 0xff;
      return copy;
    })(),
    { keepListedHash: true },
  );
  add(
    "snapshot",
    "HTML instead of data",
    /header|truncated/,
    new TextEncoder().encode(`<!doctype html><title>Not found</title>${" ".repeat(64)}`),
  );
  add("snapshot", "empty file", /truncated file/, new Uint8Array(0));
  add("snapshot", "header length zero", /bad header length/, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]));
  add(
    "snapshot",
    "header length huge",
    /bad header length/,
    (() => {
      const copy = snapshot.slice();
      new DataView(copy.buffer).setBigUint64(0, 1n << 40n, true);
      return copy;
    })(),
  );
  add(
    "snapshot",
    "header past the end",
    /truncated file/,
    (() => {
      const copy = snapshot.slice(0, 8 + header - 10);
      return copy;
    })(),
  );
  add(
    "snapshot",
    "garbage header",
    /header is not valid JSON/,
    (() => {
      const copy = snapshot.slice();
      copy.fill(0x7b, 8, 8 + 40);
      return copy;
    })(),
  );
  add("snapshot", "header a list", /header is not a JSON object/, withHeader("[1, 2, 3]"));
  add(
    "snapshot",
    "offsets past the data",
    /layers.0.weight/,
    withHeader('{"layers.0.weight": {"dtype": "F16", "shape": [128, 784], "data_offsets": [0, 200704]}}'),
  );
  add("snapshot", "unknown dtype", /dtype|F99/, withHeader('{"layers.0.bias": {"dtype": "F99", "shape": [4], "data_offsets": [0, 8]}}'));
  add(
    "snapshot",
    "weights as F32",
    /"layers.0.bias" is F32, the manifest needs F16/,
    retensor(snapshot, (t) => {
      const bias = t.get("layers.0.bias");
      t.set("layers.0.bias", { dtype: "F32", shape: bias.shape, bytes: new Uint8Array(bias.shape[0] * 4) });
    }),
  );
  add(
    "snapshot",
    "wrong shape",
    /shape mismatch: "layers.1.weight"/,
    retensor(snapshot, (t) => {
      const weight = t.get("layers.1.weight");
      t.set("layers.1.weight", { ...weight, shape: [weight.shape[1], weight.shape[0]] });
    }),
  );
  add(
    "snapshot",
    "missing tensor",
    /tensor "layers.2.bias" is missing/,
    retensor(snapshot, (t) => t.delete("layers.2.bias")),
  );
  add(
    "snapshot",
    "missing latent",
    /tensor "latent.coords" is missing/,
    retensor(snapshot, (t) => t.delete("latent.coords")),
  );
  add(
    "snapshot",
    "extra layer",
    /unexpected tensor "layers.3.weight"/,
    retensor(snapshot, (t) => {
      t.set("layers.3.weight", { dtype: "F16", shape: [10, 10], bytes: new Uint8Array(200) });
      t.set("layers.3.bias", { dtype: "F16", shape: [10], bytes: new Uint8Array(20) });
    }),
  );
  add(
    "snapshot",
    "NaN weight",
    /tensor "layers.0.bias" contains NaN/,
    retensor(snapshot, (t) => t.get("layers.0.bias").bytes.set(F16.nan, 6)),
  );
  add(
    "snapshot",
    "infinite weight",
    /tensor "layers.2.weight" contains Infinity/,
    retensor(snapshot, (t) => t.get("layers.2.weight").bytes.set(F16.inf, 0)),
  );
  add(
    "snapshot",
    "NaN latent coordinate",
    /tensor "latent.coords" contains NaN/,
    retensor(snapshot, (t) => t.get("latent.coords").bytes.set(F16.nan, 2)),
  );

  for (const which of ["probe", "gallery"]) {
    const bytes = files[which];
    add(
      which,
      "one byte changed (listed sha256)",
      /sha256 does not match/,
      (() => {
        const copy = bytes.slice();
        copy[copy.length - 1] ^= 0x01;
        return copy;
      })(),
      { keepListedHash: true },
    );
    add(which, "truncated (listed size)", /truncated file/, bytes.slice(0, 1000), { keepListedHash: true });
    add(
      which,
      "label 200",
      /labels\[\d+\] is 200, not a class/,
      retensor(bytes, (t) => (t.get("labels").bytes[3] = 200)),
    );
    add(
      which,
      "missing labels",
      /needs the tensors images, labels and test_indices/,
      retensor(bytes, (t) => t.delete("labels")),
    );
    add(
      which,
      "extra tensor",
      /unexpected tensor "secret"/,
      retensor(bytes, (t) => t.set("secret", { dtype: "U8", shape: [1], bytes: new Uint8Array(1) })),
    );
    add(
      which,
      "images 27×28",
      /images must be U8/,
      retensor(bytes, (t) => {
        const images = t.get("images");
        const count = images.shape[0];
        t.set("images", { dtype: "U8", shape: [count, 27, 28], bytes: images.bytes.slice(0, count * 27 * 28) });
      }),
    );
    add(
      which,
      "labels as I32",
      /labels must be U8/,
      retensor(bytes, (t) => {
        const labels = t.get("labels");
        t.set("labels", { dtype: "I32", shape: labels.shape, bytes: new Uint8Array(labels.shape[0] * 4) });
      }),
    );
    add(
      which,
      "negative test index",
      /test_indices\[0\] is -1/,
      retensor(bytes, (t) => t.get("test_indices").bytes.set([0xff, 0xff, 0xff, 0xff], 0)),
    );
    add(
      which,
      "fewer digits than listed",
      /holds \d+ digits, the manifest says/,
      retensor(bytes, (t) => {
        const count = t.get("labels").shape[0] - 1;
        const pixels = t.get("images").shape[1] * t.get("images").shape[2];
        t.set("images", { dtype: "U8", shape: [count, 28, 28], bytes: t.get("images").bytes.slice(0, count * pixels) });
        t.set("labels", { dtype: "U8", shape: [count], bytes: t.get("labels").bytes.slice(0, count) });
        t.set("test_indices", { dtype: "I32", shape: [count], bytes: t.get("test_indices").bytes.slice(0, count * 4) });
      }),
    );
  }
  return cases;
}

/** Every case, made from the committed export. */
export function brokenExports(base = loadDefaultExport()) {
  return [...manifestCases(base.manifest), ...fileCases(base.manifest, base)];
}

/** Writes every case into `site` (a copy of the site) and returns the index. */
export function writeCorpus(site, cases = brokenExports()) {
  return cases.map((item, i) => {
    const stem = `broken-${String(i).padStart(3, "0")}`;
    const manifestText = typeof item.manifest === "string" ? item.manifest : JSON.stringify(item.manifest);
    const rewritten = manifestText.replaceAll('"broken/', `"${stem}/`);
    writeFileSync(join(site, "exports", `${stem}.json`), rewritten);
    for (const [path, bytes] of item.files) {
      const target = join(site, "exports", path.replace(/^broken\//, `${stem}/`));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes);
    }
    return { name: item.name, stage: item.stage, expect: item.expect.source, manifest: `exports/${stem}.json` };
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const site = process.argv[2];
  if (!site) {
    console.error("usage: node tests/js/broken-exports.mjs SITE_DIR (a copy of the site to write the corpus into)");
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(writeCorpus(site))}\n`);
}
