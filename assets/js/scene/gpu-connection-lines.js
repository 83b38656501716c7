// Every connection coloured by the GPU. The lines' ends, their source and target neurons
// and their weights sit in vertex buffers (the weights rewritten once per snapshot); a stroke
// uploads one small float texture — per neuron its activation and the smallest |contribution|
// still shown into it (model/contribution-cuts.js) — and a few per-layer numbers. The vertex
// shader computes each line's contribution (weight × activation), hides the lines below their
// target's cut (moved outside the clip volume) and colours the rest as scene/connection-lines.js
// does on the CPU, which stays the reference (?connections=cpu).
import * as THREE from "three";
import { ContributionCuts } from "../model/contribution-cuts.js";
import { segmentBases } from "../model/contributions.js";
import { GLSL_PALETTE } from "../model/palette.js";
import { LAYER_ALPHA, SOURCE_END } from "./connection-lines.js";

const WIDTH = 1024; // texels per row of the neuron texture

const VERTEX = `
precision highp sampler2D;
// Per neuron: r = its activation as a source (1 for weights only); as a target: g = its cut,
// b = the last source shown (ties at the cut let no more than k through, in source order).
uniform sampler2D neurons;
uniform float layerMax[LAYERS];
uniform float layerAlpha[LAYERS];
uniform float thresholdCut[LAYERS];
uniform float focus; // overall index of the hovered neuron, or -1
attribute vec4 line; // source neuron, target neuron, weight layer, end (0 = source, 1 = target)
attribute float weight;
varying vec4 lineColor;
${GLSL_PALETTE}
vec4 neuron(float index) {
  int i = int(index + 0.5);
  return texelFetch(neurons, ivec2(i % WIDTH, i / WIDTH), 0);
}
void main() {
  int layer = int(line.z + 0.5);
  float contribution = weight * neuron(line.x).r;
  float size = abs(contribution);
  float largest = layerMax[layer];
  vec4 target = neuron(line.y);
  bool shown = focus >= 0.0
    ? (line.x == focus || line.y == focus) && size >= thresholdCut[layer]
    : size >= target.g && line.x <= target.b;
  if (!shown || largest <= 0.0) {
    gl_Position = vec4(0.0, 0.0, 2.0, 1.0); // beyond the far plane: clipped, both ends alike
    lineColor = vec4(0.0);
    return;
  }
  float v = contribution / largest;
  float a = min(abs(v), 1.0);
  vec3 rgb = paletteLinear(sign(v) * (0.45 + 0.55 * sqrt(a)));
  lineColor = vec4(rgb, pow(a, 0.75) * layerAlpha[layer] * (line.w > 0.5 ? 1.0 : ${SOURCE_END.toFixed(2)}));
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}
`;

const FRAGMENT = `
varying vec4 lineColor;
void main() {
  gl_FragColor = lineColor;
  #include <colorspace_fragment>
}
`;

export class GpuConnectionLines {
  constructor(networkLayout) {
    this.layout = networkLayout;
    const sizes = networkLayout.layers.map((layer) => layer.size);
    this.cuts = new ContributionCuts(sizes);
    const { total } = segmentBases(sizes);
    this.total = total;
    this.layerCount = sizes.length - 1;
    this.baseAlpha = Float32Array.from({ length: this.layerCount }, (_, l) => LAYER_ALPHA[l] ?? 1);
    this.layerAlpha = new Float32Array(this.layerCount);
    this.weights = new Float32Array(total * 2);
    this.shownWeights = new Array(this.layerCount).fill(null); // the snapshot's weight arrays in the buffer
    const rows = Math.ceil(this.cuts.neurons / WIDTH);
    this.neuronData = new Float32Array(WIDTH * rows * 4);
    this.texture = new THREE.DataTexture(this.neuronData, WIDTH, rows, THREE.RGBAFormat, THREE.FloatType);
    this.texture.minFilter = this.texture.magFilter = THREE.NearestFilter;
    const geometry = new THREE.BufferGeometry();
    geometry.setAttribute("position", new THREE.BufferAttribute(this.endPositions(sizes), 3));
    geometry.setAttribute("line", new THREE.BufferAttribute(this.lineData(sizes), 4));
    this.weightAttribute = new THREE.BufferAttribute(this.weights, 1);
    geometry.setAttribute("weight", this.weightAttribute);
    const material = new THREE.ShaderMaterial({
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      defines: { WIDTH, LAYERS: this.layerCount },
      uniforms: {
        neurons: { value: this.texture },
        layerMax: { value: this.cuts.layerMax },
        layerAlpha: { value: this.layerAlpha },
        thresholdCut: { value: this.cuts.thresholdCut },
        focus: { value: -1 },
      },
      transparent: true,
      depthWrite: false,
    });
    this.uniforms = material.uniforms;
    this.lines = new THREE.LineSegments(geometry, material);
    this.lines.frustumCulled = false; // the shader moves the lines it hides
    this.count = 0;
  }

  /** Both ends of every connection, in segment-id order (layer, target, source), as ConnectionSelector numbers them. */
  endPositions(sizes) {
    const p = this.layout.positions;
    const out = new Float32Array(this.total * 6);
    this.forEachSegment(sizes, (at, source, target) => {
      for (let c = 0; c < 3; c++) {
        out[at * 6 + c] = p[source * 3 + c];
        out[at * 6 + 3 + c] = p[target * 3 + c];
      }
    });
    return out;
  }

  /** Per vertex: source neuron, target neuron, weight layer, which end. */
  lineData(sizes) {
    const out = new Float32Array(this.total * 8);
    this.forEachSegment(sizes, (at, source, target, l) => {
      const i = at * 8;
      out[i] = out[i + 4] = source;
      out[i + 1] = out[i + 5] = target;
      out[i + 2] = out[i + 6] = l;
      out[i + 7] = 1; // the target end (out[i + 3] stays 0: the source end)
    });
    return out;
  }

  forEachSegment(sizes, write) {
    const offsets = this.cuts.offsets;
    let at = 0;
    for (let l = 0; l < sizes.length - 1; l++) {
      for (let j = 0; j < sizes[l + 1]; j++) {
        for (let k = 0; k < sizes[l]; k++) write(at++, offsets[l] + k, offsets[l + 1] + j, l);
      }
    }
  }

  /** Copy the snapshot's weights into the vertex buffer (both ends of each line) once per snapshot. */
  uploadWeights(layers) {
    let changed = false;
    for (let l = 0; l < layers.length; l++) changed ||= this.shownWeights[l] !== layers[l].weight;
    if (!changed) return;
    let at = 0;
    for (let l = 0; l < layers.length; l++) {
      const weight = layers[l].weight;
      this.shownWeights[l] = weight;
      for (let i = 0; i < weight.length; i++) {
        this.weights[at++] = weight[i];
        this.weights[at++] = weight[i];
      }
    }
    this.weightAttribute.needsUpdate = true;
  }

  /** Recolour for the current weights and activations (null = weights only). Returns the number of lines sent to the GPU. */
  update(mlp, activations, options) {
    const { layers } = mlp;
    this.uploadWeights(layers);
    this.cuts.compute(layers, activations, options);
    const { offsets, cuts } = this.cuts;
    const data = this.neuronData;
    for (let l = 0; l < this.layerCount; l++) {
      const source = activations ? activations[l] : null;
      for (let k = 0, at = offsets[l] * 4; k < layers[l].inSize; k++, at += 4) data[at] = source ? source[k] : 1;
    }
    const { lastTies } = this.cuts;
    for (let i = offsets[1], at = i * 4; i < cuts.length; i++, at += 4) {
      data[at + 1] = cuts[i];
      data[at + 2] = lastTies[i];
    }
    this.texture.needsUpdate = true;
    const focus = options?.focus;
    this.uniforms.focus.value = focus ? offsets[focus.layer] + focus.index : -1;
    // A focused neuron's few lines are shown at full strength, as on the CPU.
    for (let l = 0; l < this.layerCount; l++) this.layerAlpha[l] = focus ? 1 : this.baseAlpha[l];
    this.count = this.total;
    return this.count;
  }

  /** Fade weight layer l's lines to `factor` of their opacity until the next update (the tour's emphasis). */
  dimLayer(l, factor) {
    this.layerAlpha[l] *= factor;
  }

  dispose() {
    this.texture.dispose();
  }
}
