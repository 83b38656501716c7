// Dimming every layer but the ones a step of the guided tour is about: their neurons'
// colours and the lines that feed them fade, so the emphasised part stands out. Applied
// after the neurons and lines were recoloured for the frame (both rewrite every colour,
// so dimming never accumulates). `canvas.dataset.emphasis` names the layers shown at full
// strength ("" = all), for tests and assistive technology.

const DIM_COLOUR = 0.16; // what is left of a dimmed neuron's colour
const DIM_ALPHA = 0.12; // … and of a dimmed line's opacity

/**
 * @param {{colors: Float32Array, mesh: object}} neurons NeuronMesh after update()
 * @param {{dimLayer: (l: number, factor: number) => void}} lines ConnectionLines or GpuConnectionLines after update()
 * @param {{layers: {offset: number, size: number}[]}} layout the network layout
 * @param {number[]|null} emphasis the stages kept at full strength, or null for all
 * @param {HTMLCanvasElement} canvas the 3D canvas
 * @param {number} offset the stage of the layout's first layer (a CNN's flatten; 0 for an MLP)
 */
export function applyEmphasis(neurons, lines, layout, emphasis, canvas, offset = 0) {
  canvas.dataset.emphasis = emphasis ? emphasis.join(",") : "";
  if (!emphasis) return;
  const keep = new Set(emphasis.map((stage) => stage - offset));
  layout.layers.forEach((layer, l) => {
    if (keep.has(l)) return;
    for (let i = layer.offset * 3; i < (layer.offset + layer.size) * 3; i++) neurons.colors[i] *= DIM_COLOUR;
  });
  neurons.mesh.instanceColor.needsUpdate = true;
  // Weight layer l feeds layer l + 1: its lines keep their strength when that layer is emphasised.
  for (let l = 0; l < layout.layers.length - 1; l++) if (!keep.has(l + 1)) lines.dimLayer(l, DIM_ALPHA);
}
