// Where the feature maps of a convolutional network sit in 3D: one card per stage before the
// dense part (the input image, then every conv2d and max-pool output), each a grid of its
// channels' small images, in a row to the left of the dense layers. Pure: numbers only.

const PIXEL = 0.11; // world units per map pixel
const GAP = 1; // map pixels between neighbouring maps of a card
const CARD_GAP = 2.2; // world units between cards

/** Columns × rows of a grid of n maps, a little taller than wide. */
export function mapGrid(n) {
  const columns = Math.max(1, Math.round(Math.sqrt(n / 2)));
  return { columns, rows: Math.ceil(n / columns) };
}

/**
 * mapLayout(shapes, rightEdge) → [{ stage, channels, rows, columns, grid, textureWidth, textureHeight, width, height, x }]:
 * `shapes` are the stages' [channels, rows, columns]; cards are placed right to left ending
 * CARD_GAP before `rightEdge` (the x of the dense part's first card).
 */
export function mapLayout(shapes, rightEdge) {
  const cards = shapes.map(([channels, rows, columns], stage) => {
    const grid = mapGrid(channels);
    const textureWidth = grid.columns * (columns + GAP) - GAP;
    const textureHeight = grid.rows * (rows + GAP) - GAP;
    return {
      stage,
      channels,
      rows,
      columns,
      grid,
      textureWidth,
      textureHeight,
      width: textureWidth * PIXEL,
      height: textureHeight * PIXEL,
    };
  });
  let x = rightEdge;
  for (let i = cards.length - 1; i >= 0; i--) {
    x -= CARD_GAP + cards[i].width / 2;
    cards[i].x = x;
    x -= cards[i].width / 2;
  }
  return cards;
}

/** The texel (column, row from the top) of value `index` of a [channels, rows, columns] stage in its card. */
export function texelOf(card, index) {
  const plane = card.rows * card.columns;
  const channel = Math.floor(index / plane);
  const within = index - channel * plane;
  const row = Math.floor(within / card.columns);
  const column = within - row * card.columns;
  const gridColumn = channel % card.grid.columns;
  const gridRow = Math.floor(channel / card.grid.columns);
  return { x: gridColumn * (card.columns + GAP) + column, y: gridRow * (card.rows + GAP) + row };
}

/** The value index under texel (x, y) of a card, or -1 in the gaps between maps. */
export function indexAtTexel(card, x, y) {
  const cellX = Math.floor(x / (card.columns + GAP));
  const cellY = Math.floor(y / (card.rows + GAP));
  const column = x - cellX * (card.columns + GAP);
  const row = y - cellY * (card.rows + GAP);
  const channel = cellY * card.grid.columns + cellX;
  if (column >= card.columns || row >= card.rows || channel >= card.channels || cellX >= card.grid.columns) return -1;
  return (channel * card.rows + row) * card.columns + column;
}

/**
 * The 3D centre of value `index` of a card, as scene/feature-maps.js places the card (centred at
 * x = card.x, turned by `yaw` about the vertical): written to out[at..at+2].
 */
export function valueCentre(card, index, yaw, out, at) {
  const { x, y } = texelOf(card, index);
  const u = ((x + 0.5) / card.textureWidth - 0.5) * card.width;
  out[at] = card.x + u * Math.cos(yaw);
  out[at + 1] = (0.5 - (y + 0.5) / card.textureHeight) * card.height;
  out[at + 2] = u * Math.sin(yaw);
}
