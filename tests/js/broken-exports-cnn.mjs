// Broken version-2 exports made from the committed CNN export (exports/cnn_weights.json):
// every field of its layer list wrong in type, range, shape or consistency, and snapshot
// files whose tensors disagree with the layers. Cases have the shape of broken-exports.mjs's
// ({ name, stage, expect, manifest, files }), stage "manifest" or "snapshot".
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { retensor, sha256 } from "./broken-exports.mjs";

const EXPORTS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "exports");

/** The committed CNN export: its manifest and its first snapshot's bytes. */
export function loadCnnExport() {
  const manifest = JSON.parse(readFileSync(join(EXPORTS, "cnn_weights.json"), "utf8"));
  return { manifest, snapshot: new Uint8Array(readFileSync(join(EXPORTS, manifest.timeline[0].file))) };
}

/** Float16 bytes of a tensor of `count` values, all `value` (0x3c00 = 1). */
const halfs = (count, bits = 0x3c00) => {
  const out = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) [out[2 * i], out[2 * i + 1]] = [bits & 0xff, bits >> 8];
  return out;
};

function manifestCases(base) {
  const cases = [];
  const add = (name, expect, change) => {
    const manifest = structuredClone(base);
    change(manifest, manifest.model.layers);
    cases.push({ name: `cnn: ${name}`, stage: "manifest", expect, manifest, files: new Map() });
  };
  add("layers missing", /model.layers must be a non-empty list/, (m) => delete m.model.layers);
  add("layers empty", /model.layers must be a non-empty list/, (m) => (m.model.layers = []));
  add("layers an object", /model.layers must be a non-empty list/, (m) => (m.model.layers = { 0: m.model.layers[0] }));
  add("30 layers", /model.layers has 30 layers, more than the 24/, (m, l) => {
    while (m.model.layers.length < 30) m.model.layers.splice(5, 0, { ...l[4], type: "flatten" });
  });
  add("a layer null", /model.layers\[1\] must be an object/, (_, l) => (l[1] = null));
  add("unknown type", /model.layers\[1\].type must be one of conv2d, maxpool2d, flatten, linear, got "batchnorm2d"/, (_, l) => {
    l[1].type = "batchnorm2d";
  });
  add("unknown activation", /model.layers\[0\].activation must be null or one of relu, tanh, sigmoid, gelu/, (_, l) => {
    l[0].activation = "softplus";
  });
  add("activation missing", /model.layers\[5\].activation must be null or one of/, (_, l) => delete l[5].activation);
  add("module empty", /model.layers\[2\].module must be a short name/, (_, l) => (l[2].module = ""));
  add("input shape of zeros", /model.layers\[0\].input_shape must be \[n\] or \[channels, rows, columns\]/, (_, l) => {
    l[0].input_shape = [0, 28, 28];
  });
  add("output shape 2-D", /model.layers\[3\].output_shape must be \[n\] or/, (_, l) => (l[3].output_shape = [16, 49]));
  add("input not 28×28", /model.layers\[0\].input_shape is \[1,32,32\], but the 28×28 input makes \[1,28,28\]/, (_, l) => {
    l[0].input_shape = [1, 32, 32];
  });
  add("chain broken", /model.layers\[2\].input_shape is \[8,13,13\], but model.layers\[1\].output_shape makes \[8,14,14\]/, (_, l) => {
    l[2].input_shape = [8, 13, 13];
  });
  add("in_channels wrong", /model.layers\[2\].in_channels is 4, but its input has 8 channels/, (_, l) => (l[2].in_channels = 4));
  add("out_channels over the limit", /model.layers\[0\].out_channels must be an integer from 1 to 256, got 1000/, (_, l) => {
    l[0].out_channels = 1000;
  });
  add("kernel_size 0", /model.layers\[0\].kernel_size must be an integer from 1 to 11, got 0/, (_, l) => (l[0].kernel_size = 0));
  add("kernel_size 99", /model.layers\[2\].kernel_size must be an integer from 1 to 11, got 99/, (_, l) => (l[2].kernel_size = 99));
  add("kernel_size text", /model.layers\[0\].kernel_size must be an integer/, (_, l) => (l[0].kernel_size = "5"));
  add("stride 0", /model.layers\[0\].stride must be an integer from 1 to 11, got 0/, (_, l) => (l[0].stride = 0));
  add("padding ≥ kernel", /model.layers\[0\].padding must be an integer from 0 to kernel_size − 1 \(4\), got 5/, (_, l) => {
    l[0].padding = 5;
  });
  add("padding negative", /model.layers\[0\].padding must be an integer/, (_, l) => (l[0].padding = -1));
  add("conv output shape wrong", /model.layers\[0\].output_shape is \[8,27,27\], but its input and settings make \[8,28,28\]/, (_, l) => {
    l[0].output_shape = [8, 27, 27];
  });
  add("conv on a vector", /model.layers\[3\] \(conv2d\) needs a \[channels, rows, columns\] input/, (_, l) => {
    l.splice(2, 0, { type: "flatten", module: "x", input_shape: [8, 14, 14], output_shape: [1568], activation: null });
    l[3].input_shape = [1568];
  });
  add("pool padding", /model.layers\[1\].padding must be 0/, (_, l) => (l[1].padding = 1));
  add("pool window larger than its input", /model.layers\[3\]: its window does not fit its \[16,4,4\] input/, (_, l) => {
    Object.assign(l[2], { kernel_size: 11, padding: 0, output_shape: [16, 4, 4] });
    Object.assign(l[3], { kernel_size: 5, stride: 5, input_shape: [16, 4, 4] });
  });
  add("flatten output wrong", /model.layers\[4\].output_shape is \[700\], but its input and settings make \[784\]/, (_, l) => {
    l[4].output_shape = [700];
  });
  add("linear in_features wrong", /model.layers\[5\].in_features is 700, but its input has 784 values/, (_, l) => {
    l[5].in_features = 700;
  });
  add("linear on maps (no flatten)", /model.layers\[4\] \(linear\) needs a vector input \(flatten first\)/, (_, l) => {
    l.splice(4, 1);
    l[4].input_shape = [16, 7, 7];
  });
  add("linear wider than the limit", /model.layers\[5\].out_features must be an integer from 1 to 4096, got 5000/, (_, l) => {
    l[5].out_features = 5000;
  });
  add("last layer 9 outputs", /the last of model.layers must be a linear layer with 10 outputs/, (_, l) => {
    l[6].out_features = 9;
    l[6].output_shape = [9];
  });
  add("last layer with relu", /the last of model.layers must have activation null/, (_, l) => (l[6].activation = "relu"));
  add("two layers, one tensor", /model.layers\[2\].weight "layers.0.weight" names a tensor another layer uses/, (_, l) => {
    l[2].weight = "layers.0.weight";
  });
  add("a latent tensor name", /model.layers\[5\].weight must name a tensor/, (_, l) => (l[5].weight = "latent.mean"));
  add("a path as tensor name", /model.layers\[0\].weight must name a tensor/, (_, l) => (l[0].weight = "../x"));
  add("weight missing", /model.layers\[6\].weight must name a tensor/, (_, l) => delete l[6].weight);
  add("bias a number", /model.layers\[0\].bias must name a tensor/, (_, l) => (l[0].bias = 5));
  add("parameter_count wrong", /model.parameter_count is 54315, but model.layers make 54314/, (m) => (m.model.parameter_count += 1));
  add("latent.layer 4", /latent.layer must be 5 \(the layer feeding the last linear layer\), got 4/, (m) => (m.latent.layer = 4));
  add("latent.layer missing", /latent.layer must be 5/, (m) => delete m.latent.layer);
  add("version 2 with a version-1 model", /model.layers must be a non-empty list/, (m) => {
    m.model = { ...m.model, layer_sizes: [784, 64, 10], activations: ["relu", "softmax"] };
    delete m.model.layers;
  });
  add("version 1 with a version-2 model", /model.layer_sizes must be a list of at least 2/, (m) => (m.format_version = 1));
  return cases;
}

function snapshotCases(base, snapshot) {
  const cases = [];
  const add = (name, expect, change, changeManifest = () => {}) => {
    const manifest = structuredClone(base);
    changeManifest(manifest);
    const bytes = retensor(snapshot, change);
    const path = "broken/snapshot.safetensors";
    Object.assign(manifest.timeline[0], { file: path, bytes: bytes.length, sha256: sha256(bytes) });
    cases.push({ name: `cnn: snapshot: ${name}`, stage: "snapshot", expect, manifest, files: new Map([[path, bytes]]) });
  };
  add("conv kernel 3×3", /shape mismatch: "layers.0.weight" is \[8,1,3,3\], the manifest needs \[8,1,5,5\]/, (t) => {
    t.set("layers.0.weight", { dtype: "F16", shape: [8, 1, 3, 3], bytes: halfs(72) });
  });
  add("conv weight flattened", /shape mismatch: "layers.2.weight" is \[16,200\]/, (t) => {
    t.set("layers.2.weight", { ...t.get("layers.2.weight"), shape: [16, 200] });
  });
  add("conv bias missing", /tensor "layers.2.bias" is missing/, (t) => t.delete("layers.2.bias"));
  add("an extra tensor", /unexpected tensor "layers.1.weight"/, (t) =>
    t.set("layers.1.weight", { dtype: "F16", shape: [1], bytes: halfs(1) }),
  );
  add("conv weight F32", /tensor "layers.0.weight" is F32, the manifest needs F16/, (t) => {
    const old = t.get("layers.0.weight");
    t.set("layers.0.weight", { dtype: "F32", shape: old.shape, bytes: new Uint8Array(old.bytes.length * 2) });
  });
  add("NaN in a kernel", /tensor "layers.2.weight" contains NaN/, (t) => {
    const bytes = t.get("layers.2.weight").bytes;
    bytes.set([0x00, 0x7e], 2 * 1234);
  });
  add(
    "a bias the manifest says is null",
    /unexpected tensor "layers.0.bias"/,
    () => {},
    (m) => {
      m.model.layers[0].bias = null;
      m.model.parameter_count -= 8;
    },
  );
  add("latent sized for the wrong layer", /shape mismatch: "latent.mean" is \[784\], the manifest needs \[64\]/, (t) => {
    t.set("latent.mean", { dtype: "F16", shape: [784], bytes: halfs(784, 0) });
  });
  return cases;
}

/** Every version-2 case, made from the committed CNN export. */
export function brokenCnnExports(base = loadCnnExport()) {
  return [...manifestCases(base.manifest), ...snapshotCases(base.manifest, base.snapshot)];
}
