// Where each neuron sits in 3D. Layers stand as vertical cards in a row from
// left (input, like the page) to right (outputs); each card is turned a
// little towards the default camera so all of them read at once, and orbiting
// shows the depth. The input keeps its picture (rows × columns of the model's
// input shape), hidden layers become compact grids, the 10 outputs a column.
// Pure: positions only, no three.js.

const SPACING = { input: 0.34, hidden: 0.62, output: 0.9 };
// Distance between the centres of neighbouring layers: wider after the big input card.
const GAPS = { input: 8.5, hidden: 6.2 };
const YAW = (32 * Math.PI) / 180; // each card faces the left-front, where the camera starts

/** Columns × rows of a compact grid for n neurons, a little taller than wide. */
export function gridShape(n) {
  const columns = Math.max(1, Math.round(Math.sqrt(n / 2)));
  return { columns, rows: Math.ceil(n / columns) };
}

/**
 * layout(sizes, inputShape) → { layers: [{ size, offset, x, kind, columns, rows, spacing }], positions: Float32Array(3 × total), total, yaw }.
 * `inputShape` is the input image's [rows, columns] (manifest.model.input.shape): the input
 * card keeps that picture. Neuron i of layer l is neuron `layers[l].offset + i` overall.
 */
export function layout(sizes, [inputRows, inputColumns]) {
  const layers = [];
  let offset = 0,
    x = 0;
  sizes.forEach((size, l) => {
    const kind = l === 0 ? "input" : l === sizes.length - 1 ? "output" : "hidden";
    const shape =
      kind === "input" ? { columns: inputColumns, rows: inputRows } : kind === "output" ? { columns: 1, rows: size } : gridShape(size);
    layers.push({ size, offset, x, kind, ...shape, spacing: SPACING[kind] });
    offset += size;
    x += GAPS[kind] ?? 0;
  });
  const centre = x / 2 - GAPS.hidden / 2;
  for (const layer of layers) layer.x -= centre;
  const across = [Math.cos(YAW), Math.sin(YAW)]; // the cards' left-to-right direction in x, z
  const positions = new Float32Array(offset * 3);
  for (const layer of layers) {
    for (let i = 0; i < layer.size; i++) {
      const u = ((i % layer.columns) - (layer.columns - 1) / 2) * layer.spacing; // column 0 on the left
      const v = ((layer.rows - 1) / 2 - Math.floor(i / layer.columns)) * layer.spacing; // row 0 on top
      const at = (layer.offset + i) * 3;
      positions[at] = layer.x + u * across[0];
      positions[at + 1] = v;
      positions[at + 2] = u * across[1];
    }
  }
  return { layers, positions, total: offset, yaw: YAW };
}
