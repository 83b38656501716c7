// The feature maps of a convolutional network in 3D: one image plane per stage before the
// dense part (the input, every conv2d and max-pool output), each one DataTexture holding all
// its channels as a grid of small images, rewritten in place on every stroke (no allocation).
// Colour: the value on the shared diverging palette, scaled per map card.
import * as THREE from "three";
import { mapLayout, texelOf } from "../model/map-layout.js";
import { writeSrgbBytes } from "../model/palette.js";

const IDLE = [18, 22, 32, 255];

export class FeatureMaps {
  /**
   * @param {{x: number}[]} denseLayers the dense layout's layers (the maps go to the left of the first)
   * @param {number[][]} shapes the stages' [channels, rows, columns] (stage 0: the input)
   * @param {number} yaw the cards' turn towards the camera (as the dense cards)
   */
  constructor(denseLayers, shapes, yaw) {
    this.cards = mapLayout(shapes, denseLayers[0].x - 3);
    this.objects = [];
    this.textures = this.cards.map((card) => {
      const data = new Uint8Array(card.textureWidth * card.textureHeight * 4);
      const texture = new THREE.DataTexture(data, card.textureWidth, card.textureHeight, THREE.RGBAFormat);
      texture.colorSpace = THREE.SRGBColorSpace;
      texture.magFilter = THREE.NearestFilter;
      texture.minFilter = THREE.LinearFilter;
      texture.flipY = false;
      const material = new THREE.MeshBasicMaterial({ map: texture, side: THREE.DoubleSide });
      const mesh = new THREE.Mesh(new THREE.PlaneGeometry(card.width, card.height), material);
      mesh.position.set(card.x, 0, 0);
      mesh.rotation.y = -yaw;
      mesh.userData.card = card;
      this.objects.push(mesh);
      // The texel of every value, computed once: row 0 of the texture is the card's top.
      const texels = new Int32Array(card.channels * card.rows * card.columns);
      for (let i = 0; i < texels.length; i++) {
        const { x, y } = texelOf(card, i);
        texels[i] = ((card.textureHeight - 1 - y) * card.textureWidth + x) * 4;
      }
      return { texture, data, texels };
    });
    this.update(null);
  }

  /** Every corner of every card (for fitting the home view). */
  corners(yaw) {
    const points = [];
    for (const card of this.cards) {
      for (const [u, v] of [
        [-1, -1],
        [1, 1],
      ]) {
        points.push(card.x + (u * card.width * Math.cos(yaw)) / 2, (v * card.height) / 2, (u * card.width * Math.sin(yaw)) / 2);
      }
    }
    return points;
  }

  /** Repaint from the forward pass (result.activations[stage]) or the idle slate for null. */
  update(result) {
    this.cards.forEach((card, c) => {
      const { texture, data, texels } = this.textures[c];
      if (!result) {
        for (let i = 0; i < data.length; i += 4) data.set(IDLE, i);
      } else {
        const values = result.activations[card.stage];
        let max = 0;
        for (let i = 0; i < texels.length; i++) max = Math.max(max, Math.abs(values[i]));
        const scale = max > 0 ? 1 / max : 0;
        for (let i = 0; i < texels.length; i++) {
          writeSrgbBytes(values[i] * scale, data, texels[i]);
          data[texels[i] + 3] = 255;
        }
      }
      texture.needsUpdate = true;
    });
  }
}
