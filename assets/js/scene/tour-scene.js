// The guided tour in 3D: each step flies the camera to the part it is about (the dimming of
// the rest is the network view's, from state.emphasis). One view of the app state; it acts
// only when the tour opens, closes or changes step. `canvas.dataset.tourView` = the id of
// the step the camera was sent to ("" when no tour is open).
import * as THREE from "three";
import { resolveLayer, tourSteps } from "../model/tour-steps.js";

const CARD_DIRECTION = new THREE.Vector3(-0.5, 0.28, 0.85).normalize(); // facing a layer card, a little above
const BETWEEN_DIRECTION = new THREE.Vector3(-11, 10, 22).normalize(); // the home view's angle: shows the depth
const MARGIN = 1.25;
const SHIFT = 0.35; // of half the visible width

/**
 * Each stage's place in 3D as { x, width, height }: a CNN's feature-map cards, then the
 * neuron cards of the dense part (an MLP: neuron cards only).
 */
export function stageBoxes(network) {
  const cards = (network.maps?.cards ?? []).map(({ x, width, height }) => ({ x, width, height }));
  const dense = network.layout.layers.map(({ x, columns, rows, spacing }) => ({
    x,
    width: (columns + 1) * spacing,
    height: (rows + 1) * spacing,
  }));
  return [...cards, ...dense];
}

/** Where to look from and at for a step's `camera` ("home", a stage, or [a, b]) among `boxes`; null = home. */
export function cameraFor(camera, boxes, fovDegrees, aspect) {
  if (camera === "home") return null;
  const picked = (Array.isArray(camera) ? camera : [camera]).map((layer) => boxes[resolveLayer(layer, boxes.length)]);
  const xs = picked.map((box) => box.x);
  const target = new THREE.Vector3((Math.min(...xs) + Math.max(...xs)) / 2, 0, 0);
  const height = Math.max(...picked.map((box) => box.height));
  const width = Math.max(...xs) - Math.min(...xs) + Math.max(...picked.map((box) => box.width));
  const halfFov = THREE.MathUtils.degToRad(fovDegrees / 2);
  const extent = Math.max(height, width / Math.max(aspect, 0.3));
  const distance = ((extent / 2) * MARGIN) / Math.tan(halfFov) + 1;
  const direction = picked.length > 1 ? BETWEEN_DIRECTION : CARD_DIRECTION;
  // The tour's dialog covers the stage's left: the part sits a little right of the middle.
  const right = new THREE.Vector3(0, 1, 0).cross(direction).normalize();
  target.addScaledVector(right, -SHIFT * distance * Math.tan(halfFov) * aspect);
  const position = target.clone().addScaledVector(direction, distance);
  return { position: position.toArray(), target: target.toArray() };
}

export class TourScene {
  /** @param {import("./stage.js").Stage} stage @param {import("./network-view.js").NetworkView} network */
  constructor(stage, network) {
    this.stage = stage;
    this.network = network;
    this.step = null; // the step the camera was last sent to
  }

  update(state, changed) {
    if (!changed.has("tour") && !changed.has("manifest")) return;
    const step = state.tour ? state.tour.step : null;
    if (step === this.step || !this.network.layout) return;
    const wasOpen = this.step !== null;
    this.step = step;
    const canvas = this.stage.canvas;
    if (step === null) {
      canvas.dataset.tourView = "";
      if (wasOpen) this.stage.resetView();
      return;
    }
    const { camera } = this.stage;
    const { camera: look, id } = tourSteps(state.manifest?.model)[step];
    const view = cameraFor(look, stageBoxes(this.network), camera.fov, camera.aspect);
    if (view) this.stage.flyTo(view.position, view.target);
    else this.stage.resetView();
    canvas.dataset.tourView = id;
  }
}
