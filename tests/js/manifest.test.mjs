import assert from "node:assert/strict";
import { test } from "node:test";
import { snapshotShapes, validateManifest } from "../../assets/js/data/manifest.js";
import { makeManifest } from "./helpers.mjs";

const URL_ = "http://127.0.0.1:8000/exports/mlp_weights.json";

test("a valid manifest passes and its files resolve relative to it", () => {
  const json = makeManifest(3);
  json.probe = { file: "mlp_weights/probe.safetensors", bytes: 1000, sha256: "a".repeat(64), count: 4 };
  const manifest = validateManifest(json, URL_);
  assert.equal(manifest.timeline.length, 3);
  assert.equal(manifest.timeline[1].url, "http://127.0.0.1:8000/exports/mlp_weights/001_snap1.safetensors");
  assert.equal(manifest.probe.url, "http://127.0.0.1:8000/exports/mlp_weights/probe.safetensors");
  assert.equal(manifest.timeline[2].metrics.test_accuracy, json.timeline[2].metrics.test_accuracy);
  assert.equal(json.timeline[1].url, undefined, "the input is not modified");
});

test("a manifest with a validation split passes; one without it still does", () => {
  const json = makeManifest(3);
  json.timeline.forEach((snapshot, i) => {
    Object.assign(snapshot.metrics, { val_loss: 1 - i / 10, val_accuracy: 0.5, val_per_class_accuracy: Array(10).fill(0.5) });
  });
  json.validation = { size: 5000, best_index: 2, best_id: json.timeline[2].id };
  const manifest = validateManifest(json, URL_);
  assert.deepEqual(manifest.validation, json.validation);
  assert.equal(manifest.timeline[2].metrics.val_loss, 0.8);
  assert.equal(validateManifest(makeManifest(3), URL_).validation, undefined);
});

test("snapshotShapes lists every layer and latent tensor", () => {
  const shapes = snapshotShapes(validateManifest(makeManifest(1, { latentProbe: 7 }), URL_));
  assert.deepEqual(Object.fromEntries(shapes), {
    "layers.0.weight": [16, 784],
    "layers.0.bias": [16],
    "layers.1.weight": [12, 16],
    "layers.1.bias": [12],
    "layers.2.weight": [10, 12],
    "layers.2.bias": [10],
    "latent.mean": [12],
    "latent.components": [2, 12],
    "latent.coords": [7, 2],
  });
});

const BROKEN = [
  ["not an object", () => [1, 2], /not a JSON object/],
  [
    "wrong format",
    (m) => {
      m.format = "other";
    },
    /format must be "mnist-mlp-timeline", got "other"/,
  ],
  [
    "wrong version",
    (m) => {
      m.format_version = 3;
    },
    /unsupported format_version 3/,
  ],
  [
    "missing model",
    (m) => {
      delete m.model;
    },
    /model is missing/,
  ],
  [
    "layer sizes not integers",
    (m) => {
      m.model.layer_sizes = [784, "a", 10];
    },
    /layer_sizes must be a list/,
  ],
  [
    "first layer not 784",
    (m) => {
      m.model.layer_sizes = [100, 16, 12, 10];
    },
    /start with 784/,
  ],
  [
    "last layer not 10",
    (m) => {
      m.model.layer_sizes = [784, 16, 12, 9];
    },
    /end with 10/,
  ],
  [
    "activations count",
    (m) => {
      m.model.activations = ["relu", "softmax"];
    },
    /activations must have 3 entries/,
  ],
  [
    "unknown activation",
    (m) => {
      m.model.activations = ["tanh", "relu", "softmax"];
    },
    /relu for hidden layers/,
  ],
  [
    "input shape",
    (m) => {
      m.model.input.shape = [32, 32];
    },
    /input.shape must be \[28, 28\]/,
  ],
  [
    "input std",
    (m) => {
      m.model.input.std = 0;
    },
    /input.std must be a positive number/,
  ],
  [
    "dtype",
    (m) => {
      m.model.tensor_dtype = "F32";
    },
    /tensor_dtype must be F16/,
  ],
  [
    "empty timeline",
    (m) => {
      m.timeline = [];
    },
    /timeline must be a non-empty list/,
  ],
  [
    "index out of order",
    (m) => {
      m.timeline[1].index = 2;
    },
    /timeline\[1\].index is 2, expected 1/,
  ],
  [
    "images_seen not increasing",
    (m) => {
      m.timeline[2].images_seen = 50;
    },
    /timeline\[2\].images_seen must be larger/,
  ],
  [
    "first snapshot trained",
    (m) => {
      m.timeline[0].images_seen = 5;
    },
    /timeline\[0\].images_seen must be 0/,
  ],
  [
    "duplicate id",
    (m) => {
      m.timeline[2].id = "snap1";
    },
    /id "snap1" is used twice/,
  ],
  [
    "missing file",
    (m) => {
      delete m.timeline[1].file;
    },
    /timeline\[1\].file is missing/,
  ],
  [
    "absolute file URL",
    (m) => {
      m.timeline[1].file = "https://evil.example/x.safetensors";
    },
    /must be a path relative to the manifest/,
  ],
  [
    "root-relative file",
    (m) => {
      m.timeline[1].file = "/x.safetensors";
    },
    /must be a path relative/,
  ],
  [
    "bad sha256",
    (m) => {
      m.timeline[0].sha256 = "xyz";
    },
    /sha256 must be 64 lowercase hex/,
  ],
  [
    "accuracy out of range",
    (m) => {
      m.timeline[0].metrics.test_accuracy = 3;
    },
    /test_accuracy must be a number in \[0, 1\]/,
  ],
  [
    "probe without file",
    (m) => {
      m.probe = { count: 3 };
    },
    /probe.file is missing/,
  ],
];

for (const [name, breakIt, message] of BROKEN) {
  test(`refused: ${name}`, () => {
    const json = makeManifest(3);
    const replaced = breakIt(json);
    assert.throws(() => validateManifest(replaced ?? json, URL_), message);
  });
}
