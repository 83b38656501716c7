// Every neuron as one InstancedMesh (one draw call). Colour = the neuron's
// value on the shared diverging palette, scaled per layer; size grows with
// its activation. Input pixels are flat discs so the input picture reads as
// an image. Colours and matrices are rewritten in place.
import * as THREE from "three";
import { writeColor } from "../model/palette.js";

const RADIUS = { input: 0.15, hidden: 0.2, output: 0.26 };
const GROWTH = { input: 0, hidden: 0.16, output: 0.3 };
const IDLE = [0.05, 0.065, 0.1]; // linear RGB: a quiet slate while the pad is blank
const LIFT = 0.025; // keeps zero-valued neurons visible against the background

export class NeuronMesh {
  constructor(networkLayout) {
    this.layout = networkLayout;
    // 20 triangles per neuron: round enough at this size, and light for software rendering.
    const geometry = new THREE.IcosahedronGeometry(1, 0);
    const material = new THREE.MeshLambertMaterial({ color: 0xffffff });
    this.mesh = new THREE.InstancedMesh(geometry, material, networkLayout.total);
    this.mesh.instanceMatrix.setUsage(THREE.DynamicDrawUsage);
    this.colors = new Float32Array(networkLayout.total * 3);
    this.mesh.instanceColor = new THREE.InstancedBufferAttribute(this.colors, 3);
    this.mesh.instanceColor.setUsage(THREE.DynamicDrawUsage);
    this.matrix = new THREE.Matrix4();
    this.scale = new THREE.Vector3();
    this.position = new THREE.Vector3();
    this.rotation = new THREE.Quaternion().setFromAxisAngle(new THREE.Vector3(0, 1, 0), -networkLayout.yaw);
    this.highlight = new THREE.Mesh(new THREE.TorusGeometry(1, 0.08, 8, 40), new THREE.MeshBasicMaterial({ color: 0xffe2a8 }));
    this.highlight.rotation.y = -networkLayout.yaw; // the ring faces the same way as the layer cards
    this.highlight.visible = false;
    this.update(null);
  }

  get objects() {
    return [this.mesh, this.highlight];
  }

  place(index, kind, activation) {
    const radius = RADIUS[kind] + GROWTH[kind] * activation;
    const p = this.layout.positions;
    this.position.set(p[index * 3], p[index * 3 + 1], p[index * 3 + 2]);
    this.scale.set(radius, radius, kind === "input" ? 0.25 * radius : radius); // input pixels: flat discs in their card
    this.matrix.compose(this.position, this.rotation, this.scale);
    this.mesh.setMatrixAt(index, this.matrix);
  }

  /** result: the forward pass (or null while the pad is blank). */
  update(result) {
    const { layers } = this.layout;
    for (let l = 0; l < layers.length; l++) {
      const layer = layers[l];
      // Input: the normalised pixel; hidden: the weighted sum (blue ones are cut to 0 by ReLU); output: the probability.
      const values = !result
        ? null
        : l === 0
          ? result.activations[0]
          : layer.kind === "output"
            ? result.activations[l]
            : result.preActivations[l - 1];
      const activations = result ? result.activations[l] : null;
      let max = 0,
        maxActivation = 0;
      for (let i = 0; values && i < layer.size; i++) {
        max = Math.max(max, Math.abs(values[i]));
        maxActivation = Math.max(maxActivation, activations[i]);
      }
      if (layer.kind === "output") max = maxActivation = 1;
      for (let i = 0; i < layer.size; i++) {
        const index = layer.offset + i;
        if (values && max > 0) {
          writeColor(values[i] / max, this.colors, index * 3, 1.2);
          for (let c = 0; c < 3; c++) this.colors[index * 3 + c] += LIFT;
        } else {
          this.colors.set(IDLE, index * 3);
        }
        const grow = activations && maxActivation > 0 ? activations[i] / maxActivation : 0;
        this.place(index, layer.kind, grow);
      }
    }
    this.mesh.instanceMatrix.needsUpdate = true;
    this.mesh.instanceColor.needsUpdate = true;
  }

  /** Ring around one neuron (overall index), or none. */
  mark(index) {
    this.highlight.visible = index >= 0;
    if (index < 0) return;
    const p = this.layout.positions;
    const kind = this.layout.layers.find((layer) => index < layer.offset + layer.size).kind;
    this.highlight.position.set(p[index * 3], p[index * 3 + 1], p[index * 3 + 2]);
    this.highlight.scale.setScalar(RADIUS[kind] + GROWTH[kind] + 0.12);
  }
}
