// Every connection in one LineSegments with buffers preallocated for all of
// them (~10^5). Each update writes only the visible segments to the front of
// the buffers (positions only where the segment in that slot changed) and
// draws that range; colours (RGBA bytes) encode the contribution's sign and size.
import * as THREE from "three";
import { ConnectionSelector } from "../model/contributions.js";
import { LUT_BYTES, lutIndex } from "../model/palette.js";

// Weak contributions fade out through their alpha; the 100k input connections stay fainter
// than the 640 output ones so the picture does not drown in lines.
export const LAYER_ALPHA = [0.55, 0.8, 1];
export const SOURCE_END = 0.35; // alpha at the source end: lines brighten towards the neuron they feed
const STEPS = 1024; // resolution of the value → colour tables

/**
 * RGBA packed as little-endian Uint32 for each scaled value v ∈ [-1, 1] (index (v + 1) / 2 × (STEPS − 1)).
 * Alpha carries the size (|v|^0.75: weak lines fade); the colour carries the sign and never drops to
 * the palette's dark middle, so the many weak lines tint the picture instead of greying it.
 */
export function colourTables(alphas) {
  return alphas.map((layerAlpha) => {
    const ends = [new Uint32Array(STEPS), new Uint32Array(STEPS)];
    for (let i = 0; i < STEPS; i++) {
      const v = (i / (STEPS - 1)) * 2 - 1;
      const size = Math.abs(v);
      const c = lutIndex(Math.sign(v) * (0.45 + 0.55 * Math.sqrt(size)));
      const alpha = size ** 0.75 * layerAlpha * 255;
      const rgb = LUT_BYTES[c] | (LUT_BYTES[c + 1] << 8) | (LUT_BYTES[c + 2] << 16);
      ends[0][i] = (rgb | (Math.round(alpha * SOURCE_END) << 24)) >>> 0;
      ends[1][i] = (rgb | (Math.round(alpha) << 24)) >>> 0;
    }
    return ends;
  });
}

/**
 * Line segments whose ends are rewritten in place on every stroke: `segments` preallocated,
 * positions as xyz per end, colours as one RGBA word per end (normalised by WebGL), drawn
 * with blending and without depth writes so that overlapping lines add up.
 */
export function dynamicLines(segments) {
  const positions = new Float32Array(segments * 6);
  const colors = new Uint8Array(segments * 8);
  const geometry = new THREE.BufferGeometry();
  const positionAttribute = new THREE.BufferAttribute(positions, 3).setUsage(THREE.DynamicDrawUsage);
  const colorAttribute = new THREE.BufferAttribute(colors, 4, true).setUsage(THREE.DynamicDrawUsage);
  geometry.setAttribute("position", positionAttribute);
  geometry.setAttribute("color", colorAttribute);
  geometry.setDrawRange(0, 0);
  const material = new THREE.LineBasicMaterial({ vertexColors: true, transparent: true, depthWrite: false });
  const lines = new THREE.LineSegments(geometry, material);
  lines.frustumCulled = false; // the buffers change every stroke and stay in view
  return { positions, colors, colorWords: new Uint32Array(colors.buffer), positionAttribute, colorAttribute, lines };
}

export class ConnectionLines {
  constructor(networkLayout) {
    this.layout = networkLayout;
    const sizes = networkLayout.layers.map((layer) => layer.size);
    this.selector = new ConnectionSelector(sizes);
    const total = this.selector.total;
    Object.assign(this, dynamicLines(total)); // positions, colors, colorWords, their attributes, lines
    const layerCount = networkLayout.layers.length - 1;
    this.tables = colourTables(Array.from({ length: layerCount }, (_, l) => LAYER_ALPHA[l] ?? 1));
    this.focusTables = colourTables(new Array(layerCount).fill(1)); // one neuron's few lines: full strength
    this.slotSegment = new Int32Array(total).fill(-1);
    this.count = 0;
  }

  writeSegmentPosition(slot, id, l) {
    const inSize = this.layout.layers[l].size;
    const local = id - this.selector.bases[l];
    const j = Math.floor(local / inSize);
    const source = (this.layout.layers[l].offset + local - j * inSize) * 3;
    const target = (this.layout.layers[l + 1].offset + j) * 3;
    const p = this.layout.positions,
      out = this.positions,
      at = slot * 6;
    out[at] = p[source];
    out[at + 1] = p[source + 1];
    out[at + 2] = p[source + 2];
    out[at + 3] = p[target];
    out[at + 4] = p[target + 1];
    out[at + 5] = p[target + 2];
    this.slotSegment[slot] = id;
  }

  /** Recolour for the current weights and activations (null = weights only). Returns the number of lines drawn. */
  update(mlp, activations, options) {
    const count = this.selector.select(mlp, activations, options);
    const { ids, values, layerEnd } = this.selector;
    const words = this.colorWords;
    const tables = options?.focus ? this.focusTables : this.tables;
    const scale = (STEPS - 1) / 2;
    let positionsChanged = false;
    let slot = 0;
    for (let l = 0; l < layerEnd.length; l++) {
      const sourceEnd = tables[l][0],
        targetEnd = tables[l][1];
      for (; slot < layerEnd[l]; slot++) {
        const id = ids[slot];
        if (this.slotSegment[slot] !== id) {
          this.writeSegmentPosition(slot, id, l);
          positionsChanged = true;
        }
        const i = Math.round((values[slot] + 1) * scale);
        words[slot * 2] = sourceEnd[i];
        words[slot * 2 + 1] = targetEnd[i];
      }
    }
    if (positionsChanged) {
      this.positionAttribute.clearUpdateRanges();
      this.positionAttribute.addUpdateRange(0, count * 6);
      this.positionAttribute.needsUpdate = true;
    }
    this.colorAttribute.clearUpdateRanges();
    this.colorAttribute.addUpdateRange(0, count * 8);
    this.colorAttribute.needsUpdate = true;
    this.lines.geometry.setDrawRange(0, count * 2);
    this.count = count;
    return count;
  }

  /** Fade weight layer l's lines to `factor` of their opacity until the next update (the tour's emphasis). */
  dimLayer(l, factor) {
    const bytes = this.colors;
    const end = Math.min(this.selector.layerEnd[l], this.count);
    for (let slot = l > 0 ? this.selector.layerEnd[l - 1] : 0; slot < end; slot++) {
      bytes[slot * 8 + 3] = Math.round(bytes[slot * 8 + 3] * factor);
      bytes[slot * 8 + 7] = Math.round(bytes[slot * 8 + 7] * factor);
    }
  }

  dispose() {}
}
