// The committed MLP export in format version 1, for the tests that keep version 1 working
// (the page and every tool still read it). Training writes version 2 since issue 10; a
// version-2 MLP converts losslessly (docs/export-format.md, "Deriving version 1's view"):
// same snapshot files, tensors and names; only `model`, `latent.layer` and the config
// keys version 1 did not have differ. The converted manifest is committed as
// tes../fixtures/version1/mlp_weights.json beside a symlink tests/fixtures/mlp_weights →
// exports/mlp_weights, so it reads the committed snapshots without a second 9 MB copy;
// tests/js/version1-export.test.mjs checks it is still the conversion of the export.
// Usage (after re-exporting the MLP): node tests/js/version1-export.mjs
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const EXPORT_PATH = fileURLToPath(new URL("../../exports/mlp_weights.json", import.meta.url));
export const FIXTURE_PATH = fileURLToPath(new URL("../fixtures/version1/mlp_weights.json", import.meta.url));

/** A version-2 MLP manifest (parsed JSON) as version 1. */
export function toVersion1(manifest) {
  const { layers, ...model } = manifest.model;
  if (manifest.format_version !== 2 || layers.some((layer) => layer.type !== "linear")) {
    throw new Error("only a version-2 MLP (linear layers) has a version-1 form");
  }
  const { architecture, augment_recipe, ...config } = manifest.training.config;
  return {
    ...manifest,
    format_version: 1,
    model: {
      architecture: "mlp",
      layer_sizes: [layers[0].in_features, ...layers.map((layer) => layer.out_features)],
      activations: [...layers.slice(0, -1).map((layer) => layer.activation), "softmax"],
      input: model.input,
      class_names: model.class_names,
      parameter_count: model.parameter_count,
      tensor_dtype: model.tensor_dtype,
    },
    latent: { ...manifest.latent, layer: manifest.latent.layer + 1 }, // version 1 counts the input as layer 0
    training: { ...manifest.training, config },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const converted = toVersion1(JSON.parse(readFileSync(EXPORT_PATH, "utf8")));
  writeFileSync(`${FIXTURE_PATH}.tmp`, `${JSON.stringify(converted)}\n`);
  renameSync(`${FIXTURE_PATH}.tmp`, FIXTURE_PATH);
}
