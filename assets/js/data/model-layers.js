// Validation of a version-2 model: the list of layers (docs/export-format.md, "Version 2").
// Every field of every layer is checked against the shapes it implies, with the page's
// limits, before anything is allocated. Each problem throws an Error naming the field.
import { ACTIVATIONS, LAYER_TYPES, layerMultiplyAdds, layerParameterCount, product, windowOutput } from "../model/layers.js";
import { fail, grouped, show } from "./messages.js";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const isCount = (value) => Number.isInteger(value) && value >= 1;
const isShape = (value) => Array.isArray(value) && (value.length === 1 || value.length === 3) && value.every(isCount);
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const TENSOR_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

function needCount(layer, key, where, max) {
  const value = layer[key];
  if (!(isCount(value) && value <= max)) fail("data.integerRange", { where: `${where}.${key}`, limit: max, value: show(value) });
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
    fail("data.padding", { where, last: kernel - 1, value: show(padding) });
  }
  if (inChannels !== channels) fail("data.inChannels", { where, value: String(inChannels), channels });
  const out = [outChannels, windowOutput(rows, kernel, stride, padding), windowOutput(columns, kernel, stride, padding)];
  return out;
}

function checkPool(layer, where, limits) {
  const [channels, rows, columns] = layer.input_shape;
  const kernel = needCount(layer, "kernel_size", where, limits.kernel);
  const stride = needCount(layer, "stride", where, limits.kernel);
  if (layer.padding !== undefined && layer.padding !== 0) fail("data.poolPadding", { where });
  return [channels, windowOutput(rows, kernel, stride), windowOutput(columns, kernel, stride)];
}

function checkLinear(layer, where, limits) {
  const inFeatures = needCount(layer, "in_features", where, Number.MAX_SAFE_INTEGER);
  const outFeatures = needCount(layer, "out_features", where, limits.layerWidth);
  if (inFeatures !== layer.input_shape[0]) fail("data.inFeatures", { where, value: String(inFeatures), count: layer.input_shape[0] });
  return [outFeatures];
}

/** The layer's weight and bias tensor names: unique, plain, not the latent map's. */
function checkTensorNames(layer, where, names) {
  for (const key of ["weight", "bias"]) {
    const name = layer[key];
    if (key === "bias" && name === null) continue;
    if (typeof name !== "string" || !TENSOR_NAME.test(name) || name.startsWith("latent.")) {
      fail("data.tensorName", { where: `${where}.${key}`, value: show(name) });
    }
    if (names.has(name)) fail("data.tensorNameTwice", { where: `${where}.${key}`, name });
    names.add(name);
  }
}

/**
 * Check model.layers against the model's input (rows × columns) and 10 classes.
 * @returns {{parameters: number}}
 */
export function checkLayerList(model, [rows, columns], classes, limits) {
  const layers = model.layers;
  if (!Array.isArray(layers) || layers.length === 0) fail("data.layersEmpty", { value: show(layers) });
  if (layers.length > limits.modelLayers) {
    fail("data.layersCount", { count: layers.length, limit: limits.modelLayers });
  }
  const names = new Set();
  let parameters = 0;
  let multiplyAdds = 0;
  layers.forEach((layer, i) => {
    const where = `model.layers[${i}]`;
    if (!isObject(layer)) fail("data.notObject", { where, value: show(layer) });
    if (!LAYER_TYPES.includes(layer.type)) fail("data.layerType", { where, types: LAYER_TYPES.join(", "), value: show(layer.type) });
    if (typeof layer.module !== "string" || layer.module === "" || layer.module.length > 100)
      fail("data.shortName", { where: `${where}.module` });
    if (layer.activation !== null && !ACTIVATIONS.includes(layer.activation)) {
      fail("data.activation", { where, names: ACTIVATIONS.join(", "), value: show(layer.activation) });
    }
    for (const key of ["input_shape", "output_shape"]) {
      if (!isShape(layer[key])) fail("data.shape", { where: `${where}.${key}`, value: show(layer[key]) });
    }
    const input = layer.input_shape;
    const expected = i > 0 ? layers[i - 1].output_shape : layer.type === "linear" ? [rows * columns] : [1, rows, columns];
    if (!same(input, expected)) {
      const shown = { where, value: show(input), expected: show(expected) };
      if (i > 0) fail("data.inputAfter", { ...shown, from: `model.layers[${i - 1}].output_shape` });
      fail("data.inputFirst", { ...shown, rows, columns });
    }
    const map = layer.type === "conv2d" || layer.type === "maxpool2d";
    if (map && input.length !== 3) fail("data.mapInput", { where, type: layer.type, value: show(input) });
    if (layer.type === "linear" && input.length !== 1) fail("data.linearInput", { where, value: show(input) });
    let output;
    if (layer.type === "conv2d") output = checkConv(layer, where, limits);
    else if (layer.type === "maxpool2d") output = checkPool(layer, where, limits);
    else if (layer.type === "linear") output = checkLinear(layer, where, limits);
    else output = [product(input)];
    if (!output.every(isCount)) fail("data.windowFit", { where, value: show(input) });
    if (!same(layer.output_shape, output)) fail("data.outputShape", { where, value: show(layer.output_shape), expected: show(output) });
    const values = product(output);
    if (values > limits.layerValues) {
      fail("data.layerValues", { where, values: grouped(values), limit: grouped(limits.layerValues) });
    }
    if (layer.type === "conv2d" || layer.type === "linear") checkTensorNames(layer, where, names);
    parameters += layerParameterCount(layer);
    multiplyAdds += layerMultiplyAdds(layer);
  });
  const last = layers.at(-1);
  if (last.type !== "linear" || !same(last.output_shape, [classes])) {
    fail("data.lastLayer", { classes, type: String(last.type), value: show(last.output_shape) });
  }
  if (last.activation !== null) fail("data.lastActivation", { value: show(last.activation) });
  if (parameters > limits.parameters) {
    fail("data.tooManyParameters", { field: "model.layers", parameters: grouped(parameters), limit: grouped(limits.parameters) });
  }
  if (multiplyAdds > limits.multiplyAdds) {
    fail("data.multiplyAdds", { count: grouped(multiplyAdds), limit: grouped(limits.multiplyAdds) });
  }
  return { parameters };
}

/** version 2's latent.layer: the layer feeding the last layer with weights (docs: "latent.layer"). */
export function checkLatentLayer(latent, layers) {
  const expected = layers.length - 2;
  if (expected < 0) fail("data.latentNoHidden");
  if (latent.layer !== expected) {
    fail("data.latentLayer", { expected, value: show(latent.layer) });
  }
}
