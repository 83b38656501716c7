// Validation of a version-2 model: the list of layers (docs/export-format.md, "Version 2").
// Every field of every layer is checked against the shapes it implies, with the page's
// limits, before anything is allocated. Each problem throws an Error naming the field.
import { ACTIVATIONS, LAYER_TYPES, layerMultiplyAdds, layerParameterCount, product, windowOutput } from "../model/layers.js";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value) => Number.isInteger(value) && value >= 1;
const isShape = (value) => Array.isArray(value) && (value.length === 1 || value.length === 3) && value.every(isCount);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (value) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};
const TENSOR_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function fail(message) {
  throw new Error(message);
}

function needCount(layer, key, where, max) {
  const value = layer[key];
  if (!(isCount(value) && value <= max)) fail(`${where}.${key} must be an integer from 1 to ${max}, got ${show(value)}`);
  return value;
}

function checkConv(layer, where, limits) {
  const [channels, rows, columns] = layer.input_shape;
  const inChannels = needCount(layer, "in_channels", where, limits.channels);
  const outChannels = needCount(layer, "out_channels", where, limits.channels);
  const kernel = needCount(layer, "kernel_size", where, limits.kernel);
  const stride = needCount(layer, "stride", where, limits.kernel);
  const padding = layer.padding;
  if (!(Number.isInteger(padding) && padding >= 0 && padding < kernel)) {
    fail(`${where}.padding must be an integer from 0 to kernel_size − 1 (${kernel - 1}), got ${show(padding)}`);
  }
  if (inChannels !== channels) fail(`${where}.in_channels is ${inChannels}, but its input has ${channels} channels`);
  const out = [outChannels, windowOutput(rows, kernel, stride, padding), windowOutput(columns, kernel, stride, padding)];
  return out;
}

function checkPool(layer, where, limits) {
  const [channels, rows, columns] = layer.input_shape;
  const kernel = needCount(layer, "kernel_size", where, limits.kernel);
  const stride = needCount(layer, "stride", where, limits.kernel);
  if (layer.padding !== undefined && layer.padding !== 0) fail(`${where}.padding must be 0 (max-pooling here has no padding)`);
  return [channels, windowOutput(rows, kernel, stride), windowOutput(columns, kernel, stride)];
}

function checkLinear(layer, where, limits) {
  const inFeatures = needCount(layer, "in_features", where, Number.MAX_SAFE_INTEGER);
  const outFeatures = needCount(layer, "out_features", where, limits.layerWidth);
  if (inFeatures !== layer.input_shape[0]) fail(`${where}.in_features is ${inFeatures}, but its input has ${layer.input_shape[0]} values`);
  return [outFeatures];
}

/** The layer's weight and bias tensor names: unique, plain, not the latent map's. */
function checkTensorNames(layer, where, names) {
  for (const key of ["weight", "bias"]) {
    const name = layer[key];
    if (key === "bias" && name === null) continue;
    if (typeof name !== "string" || !TENSOR_NAME.test(name) || name.startsWith("latent.")) {
      fail(`${where}.${key} must name a tensor (letters, digits, "_", "." or "-"), got ${show(name)}`);
    }
    if (names.has(name)) fail(`${where}.${key} "${name}" names a tensor another layer uses`);
    names.add(name);
  }
}

/**
 * Check model.layers against the model's input (rows × columns) and 10 classes.
 * @returns {{parameters: number}}
 */
export function checkLayerList(model, [rows, columns], classes, limits) {
  const layers = model.layers;
  if (!Array.isArray(layers) || layers.length === 0) fail(`model.layers must be a non-empty list, got ${show(layers)}`);
  if (layers.length > limits.modelLayers) {
    fail(`model.layers has ${layers.length} layers, more than the ${limits.modelLayers} this page shows`);
  }
  const names = new Set();
  let parameters = 0;
  let multiplyAdds = 0;
  layers.forEach((layer, i) => {
    const where = `model.layers[${i}]`;
    if (!isObject(layer)) fail(`${where} must be an object, got ${show(layer)}`);
    if (!LAYER_TYPES.includes(layer.type)) fail(`${where}.type must be one of ${LAYER_TYPES.join(", ")}, got ${show(layer.type)}`);
    if (typeof layer.module !== "string" || layer.module === "" || layer.module.length > 100) fail(`${where}.module must be a short name`);
    if (layer.activation !== null && !ACTIVATIONS.includes(layer.activation)) {
      fail(`${where}.activation must be null or one of ${ACTIVATIONS.join(", ")}, got ${show(layer.activation)}`);
    }
    for (const key of ["input_shape", "output_shape"]) {
      if (!isShape(layer[key]))
        fail(`${where}.${key} must be [n] or [channels, rows, columns] of positive integers, got ${show(layer[key])}`);
    }
    const input = layer.input_shape;
    const expected = i > 0 ? layers[i - 1].output_shape : layer.type === "linear" ? [rows * columns] : [1, rows, columns];
    if (!same(input, expected)) {
      const from = i > 0 ? `model.layers[${i - 1}].output_shape` : "the 28×28 input";
      fail(`${where}.input_shape is ${show(input)}, but ${from} makes ${show(expected)}`);
    }
    const map = layer.type === "conv2d" || layer.type === "maxpool2d";
    if (map && input.length !== 3) fail(`${where} (${layer.type}) needs a [channels, rows, columns] input, got ${show(input)}`);
    if (layer.type === "linear" && input.length !== 1) fail(`${where} (linear) needs a vector input (flatten first), got ${show(input)}`);
    let output;
    if (layer.type === "conv2d") output = checkConv(layer, where, limits);
    else if (layer.type === "maxpool2d") output = checkPool(layer, where, limits);
    else if (layer.type === "linear") output = checkLinear(layer, where, limits);
    else output = [product(input)];
    if (!output.every(isCount)) fail(`${where}: its window does not fit its ${show(input)} input`);
    if (!same(layer.output_shape, output))
      fail(`${where}.output_shape is ${show(layer.output_shape)}, but its input and settings make ${show(output)}`);
    const values = product(output);
    if (values > limits.layerValues) {
      fail(
        `${where} outputs ${values.toLocaleString("en")} values, more than the ${limits.layerValues.toLocaleString("en")} this page shows`,
      );
    }
    if (layer.type === "conv2d" || layer.type === "linear") checkTensorNames(layer, where, names);
    parameters += layerParameterCount(layer);
    multiplyAdds += layerMultiplyAdds(layer);
  });
  const last = layers.at(-1);
  if (last.type !== "linear" || !same(last.output_shape, [classes])) {
    fail(
      `the last of model.layers must be a linear layer with ${classes} outputs (the digits), got ${last.type} ${show(last.output_shape)}`,
    );
  }
  if (last.activation !== null)
    fail(`the last of model.layers must have activation null (its outputs are the logits), got ${show(last.activation)}`);
  if (parameters > limits.parameters) {
    fail(
      `model.layers make ${parameters.toLocaleString("en")} parameters, more than the ${limits.parameters.toLocaleString("en")} this page shows`,
    );
  }
  if (multiplyAdds > limits.multiplyAdds) {
    fail(
      `model.layers take ${multiplyAdds.toLocaleString("en")} multiply-adds per drawing, more than the ${limits.multiplyAdds.toLocaleString("en")} this page computes on every stroke`,
    );
  }
  return { parameters };
}

/** version 2's latent.layer: the layer feeding the last layer with weights (docs: "latent.layer"). */
export function checkLatentLayer(latent, layers) {
  const expected = layers.length - 2;
  if (expected < 0) fail("latent needs a hidden layer: this model is a single linear layer");
  if (latent.layer !== expected) {
    fail(`latent.layer must be ${expected} (the layer feeding the last linear layer), got ${show(latent.layer)}`);
  }
}
