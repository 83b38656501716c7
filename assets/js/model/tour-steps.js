// The "How it works" tour as data: its steps (what each highlights, where the camera looks,
// which words it says) and the real numbers of the visitor's drawing that the words quote.
// Pure: no DOM, no three.js, so the app (actions in app/app.js), the dialog
// (panels/tour-panel.js) and the 3D view (scene/tour-scene.js, scene/emphasis.js) share it.
//
// Layers are numbered as everywhere on the page (0 = input, 1 = first hidden layer);
// negative numbers count from the end (-1 = output, -2 = last hidden layer).
import { denseStart, layerParameterCount, layersFromSizes } from "./layers.js";
import { argmax } from "./mlp.js";

/**
 * id: the step's name (its text keys are tour.<id>.title and tour.<id>.text)
 * highlight: the layers shown at full strength (the rest is dimmed), or null for all
 * camera: "home", a layer number, or [a, b] to look between two layers
 * spotlight: a page element outlined too (CSS selector), or null
 * effect: what entering the step does: "select-neuron", "replay-training", "show-latent-map"
 */
const INPUT = { id: "input", highlight: [0], camera: 0, spotlight: "#preview", effect: null };
const ENDING = [
  { id: "output", highlight: [-1], camera: -1, spotlight: "#probability-bars", effect: null },
  { id: "training", highlight: null, camera: "home", spotlight: "#timeline-bar", effect: "replay-training" },
  { id: "latent", highlight: [-2], camera: -2, spotlight: "#insights", effect: "show-latent-map" },
  { id: "end", highlight: null, camera: "home", spotlight: null, effect: null },
];

/** The tour of a dense network (an MLP). */
export const TOUR_STEPS = [
  INPUT,
  { id: "neuron", highlight: [1], camera: 1, spotlight: "#neuron-panel", effect: "select-neuron" },
  { id: "sum", highlight: [0, 1], camera: [0, 1], spotlight: "#neuron-panel", effect: "select-neuron" },
  { id: "layer1", highlight: [1], camera: 1, spotlight: null, effect: null },
  { id: "layer2", highlight: [2], camera: 2, spotlight: null, effect: null },
  ...ENDING,
];

/**
 * The tour of a convolutional network that starts conv, pool, conv, pool (as training/
 * makes it): filters sliding over the image, pooling, filters on filters, then the dense
 * part. Layers here are stages (1 = the first convolution's maps). As long as the MLP's
 * tour, so a #tour=N link means the same step number in both.
 */
export const CNN_TOUR_STEPS = [
  INPUT,
  { id: "conv", highlight: [1], camera: 1, spotlight: null, effect: null },
  { id: "pool", highlight: [2], camera: [1, 2], spotlight: null, effect: null },
  { id: "conv2", highlight: [3, 4], camera: [3, 4], spotlight: null, effect: null },
  { id: "dense", highlight: [-3, -2], camera: [-3, -2], spotlight: "#overview", effect: null },
  ...ENDING,
];

const CNN_START = ["conv2d", "maxpool2d", "conv2d", "maxpool2d"];

/** The tour that describes `model` (manifest.model): the CNN's when it starts conv, pool, conv, pool. */
export function tourSteps(model) {
  const types = (model?.layers ?? []).map((layer) => layer.type);
  return CNN_START.every((type, i) => types[i] === type) && denseStart(model.layers) > CNN_START.length ? CNN_TOUR_STEPS : TOUR_STEPS;
}

/** A step number clamped into the tour (0-based). */
export function clampStep(step) {
  return Math.min(TOUR_STEPS.length - 1, Math.max(0, Math.trunc(Number(step)) || 0));
}

/** A layer number of the step data (negative = from the end) as a real layer of `layerCount`. */
export function resolveLayer(layer, layerCount) {
  const resolved = layer < 0 ? layerCount + layer : layer;
  return Math.min(layerCount - 1, Math.max(0, resolved));
}

/** The layers a step of `steps` shows at full strength, resolved for a network of `layerCount` layers (null = all). */
export function emphasisFor(step, layerCount, steps = TOUR_STEPS) {
  const { highlight } = steps[clampStep(step)];
  return highlight ? [...new Set(highlight.map((layer) => resolveLayer(layer, layerCount)))] : null;
}

/** The most active neuron of hidden layer 1 for `result` (0-based), or 0 without a result. */
export function mostActiveNeuron(result) {
  return result ? argmax(result.activations[1]) : 0;
}

/**
 * The real numbers a step's words quote, from the app state (manifest, snapshot, result).
 * Values stay numbers; the panel formats them for the language shown.
 */
export function tourFacts(state) {
  const sizes = state.manifest.model.layer_sizes;
  const [rows, columns] = state.manifest.model.input.shape;
  const last = sizes.length - 1;
  const facts = {
    pixels: sizes[0],
    rows,
    columns,
    parameters: (state.manifest.model.layers ?? layersFromSizes(sizes)).reduce((sum, layer) => sum + layerParameterCount(layer), 0),
    probes: state.manifest.probe?.count ?? 1000,
    images: state.manifest.timeline.at(-1)?.images_seen ?? 0,
    hasResult: false,
  };
  const result = state.result;
  if (tourSteps(state.manifest.model) === CNN_TOUR_STEPS) facts.cnn = cnnFacts(state.manifest.model, result);
  const network = state.snapshot?.network;
  if (!result || !network) return facts;
  const probabilities = result.activations[last];
  const digit = argmax(probabilities);
  const second = argmax(probabilities.map((p, d) => (d === digit ? -1 : p)));
  const neuron = mostActiveNeuron(result);
  const bias = network.layers[0].bias[neuron];
  const sum = result.preActivations[0][neuron];
  const active = (l) => result.activations[l].reduce((count, value) => count + (value > 0 ? 1 : 0), 0);
  const secondHidden = Math.min(2, last - 1);
  return {
    ...facts,
    hasResult: true,
    digit,
    confidence: probabilities[digit],
    second,
    secondConfidence: probabilities[second],
    neuron: neuron + 1, // people count from 1, as the neuron details do
    neuronIndex: neuron,
    bias,
    dot: sum - bias,
    sum,
    activation: result.activations[1][neuron],
    layer1: { size: sizes[1], active: active(1) },
    layer2: { size: sizes[secondHidden], inputs: sizes[secondHidden - 1], active: active(secondHidden) },
    latentSize: sizes[last - 1],
  };
}

/** What the CNN's steps quote, read from its layers: map counts, kernel and window sizes, map sides. */
function cnnFacts({ layers, layer_sizes: sizes }, result) {
  const [conv1, pool1, conv2, pool2] = layers;
  const dense = denseStart(layers); // the flattened maps' stage
  return {
    maps1: conv1.out_channels,
    kernel1: conv1.kernel_size,
    size1: conv1.input_shape[1],
    window: pool1.kernel_size,
    pooled1: pool1.output_shape[1],
    maps2: conv2.out_channels,
    kernel2: conv2.kernel_size,
    pooled2: pool2.output_shape[1],
    flat: sizes[dense],
    hidden: sizes[dense + 1],
    active: result ? result.activations[dense + 1].reduce((count, value) => count + (value > 0 ? 1 : 0), 0) : undefined,
  };
}
