// The receptive field of the feature-map value under the pointer (or selected): one line from
// each of its sources in the stage before to it, coloured by contribution like the dense
// connections (model/receptive-field.js computes which sources and how much), and a square
// around the value itself. Buffers are sized once for the largest field and rewritten in place.
import * as THREE from "three";
import { valueCentre } from "../model/map-layout.js";
import { largestField, mapPosition, ReceptiveField } from "../model/receptive-field.js";
import { colourTables, dynamicLines } from "./connection-lines.js";

const MARK = 0xffffff;

export class ReceptiveFieldLines {
  /**
   * @param {object[]} cards the feature-map cards (model/map-layout.js), card s = stage s
   * @param {object[]} specs manifest.model.layers
   * @param {number} yaw the cards' turn
   */
  constructor(cards, specs, yaw) {
    this.cards = cards;
    this.yaw = yaw;
    this.field = new ReceptiveField(largestField(specs));
    const size = this.field.sources.length;
    Object.assign(this, dynamicLines(size)); // positions, colors, colorWords, their attributes, lines
    [this.sourceEnd, this.targetEnd] = colourTables([1])[0];
    this.lines.renderOrder = 2; // over the cards
    this.markCorners = new Float32Array(12);
    const markGeometry = new THREE.BufferGeometry();
    this.markAttribute = new THREE.BufferAttribute(this.markCorners, 3).setUsage(THREE.DynamicDrawUsage);
    markGeometry.setAttribute("position", this.markAttribute);
    this.mark = new THREE.LineLoop(markGeometry, new THREE.LineBasicMaterial({ color: MARK, depthTest: false }));
    this.mark.frustumCulled = false;
    this.mark.renderOrder = 3;
    this.mark.visible = false;
    this.objects = [this.lines, this.mark];
    this.centre = new Float32Array(3);
    this.shown = null; // { stage, map, row, column, from, lines } or null
  }

  /**
   * Show the field of `focus` ({ layer: stage, index }) for the network's runtime layers and the
   * forward pass's activations (null: weights only); anything but a conv or pool value hides it.
   * Returns what is shown (or null).
   */
  update(layers, activations, focus) {
    const stage = focus?.layer ?? 0;
    const count =
      stage > 0 && stage < this.cards.length ? this.field.compute(layers, stage, focus.index, activations?.[stage - 1] ?? null) : 0;
    this.mark.visible = count > 0;
    this.lines.geometry.setDrawRange(0, count * 2);
    if (count === 0) {
      this.shown = null;
      return null;
    }
    const target = this.cards[stage];
    const source = this.cards[stage - 1];
    const { sources, scaled } = this.field;
    valueCentre(target, focus.index, this.yaw, this.centre, 0);
    const scale = (this.sourceEnd.length - 1) / 2;
    for (let s = 0; s < count; s++) {
      valueCentre(source, sources[s], this.yaw, this.positions, s * 6);
      this.positions.set(this.centre, s * 6 + 3);
      const i = Math.round((scaled[s] + 1) * scale);
      this.colorWords[s * 2] = this.sourceEnd[i];
      this.colorWords[s * 2 + 1] = this.targetEnd[i];
    }
    this.placeMark(target);
    for (const attribute of [this.positionAttribute, this.colorAttribute]) {
      attribute.clearUpdateRanges();
      attribute.addUpdateRange(0, count * (attribute === this.positionAttribute ? 6 : 8));
      attribute.needsUpdate = true;
    }
    const { map, row, column } = mapPosition(layers[stage - 1].outShape, focus.index);
    this.shown = { stage, map, row, column, from: stage - 1, lines: count };
    return this.shown;
  }

  /** A square one map pixel wide around the value (this.centre), in the card's plane. */
  placeMark(card) {
    const half = card.width / card.textureWidth / 2;
    const [x, y, z] = this.centre;
    const cos = Math.cos(this.yaw) * half,
      sin = Math.sin(this.yaw) * half;
    const out = this.markCorners;
    for (let k = 0; k < 4; k++) {
      const u = k === 1 || k === 2 ? 1 : -1; // corners anticlockwise from the lower left
      const v = k >= 2 ? 1 : -1;
      out[k * 3] = x + u * cos;
      out[k * 3 + 1] = y + v * half;
      out[k * 3 + 2] = z + u * sin;
    }
    this.markAttribute.needsUpdate = true;
  }
}
