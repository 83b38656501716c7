// Labels for the training timeline, in images seen: "0", "50 images",
// "2k images", "1× dataset", "12.5× dataset".

function compact(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, "");
}

/** How many training images a snapshot has seen, for people. */
export function formatImagesSeen(imagesSeen, trainSize = 60000) {
  if (imagesSeen === 0) return "0";
  if (imagesSeen >= trainSize) return `${compact(Math.round((imagesSeen / trainSize) * 10) / 10)}× dataset`;
  if (imagesSeen >= 1000) return `${compact(Math.round(imagesSeen / 100) / 10)}k images`;
  return `${imagesSeen} image${imagesSeen === 1 ? "" : "s"}`;
}

/** Test accuracy 0..1 as "97.8 %", or "–" when the snapshot has none. */
export function formatAccuracy(accuracy) {
  return typeof accuracy === "number" ? `${(accuracy * 100).toFixed(1)} %` : "–";
}
