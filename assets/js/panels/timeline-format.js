// Labels for the training timeline, in images seen and in the page's language: "0",
// "50 images", "2k images", "1× dataset", "12.5× dataset" ("12,5× Datensatz").
import { formatNumber, t } from "../i18n/i18n.js";

/** At most one decimal, none when it is a whole number. */
function compact(value) {
  return formatNumber(value, Number.isInteger(value) ? 0 : 1);
}

/** How many training images a snapshot has seen, for people. */
export function formatImagesSeen(imagesSeen, trainSize = 60000) {
  if (imagesSeen === 0) return "0";
  if (imagesSeen >= trainSize) return t("timeline.dataset", { count: compact(Math.round((imagesSeen / trainSize) * 10) / 10) });
  if (imagesSeen >= 1000) return t("timeline.thousands", { count: compact(Math.round(imagesSeen / 100) / 10) });
  return imagesSeen === 1 ? t("timeline.oneImage") : t("timeline.images", { count: formatNumber(imagesSeen) });
}

/**
 * A snapshot's name in the page's language, from the images it has seen: the manifest's own
 * label is English data, so it is shown only for what the images seen cannot name.
 */
export function snapshotLabel(entry, trainSize = 60000) {
  if (!Number.isFinite(entry?.images_seen)) return entry?.label ?? "";
  return entry.images_seen === 0 ? t("timeline.untrained") : formatImagesSeen(entry.images_seen, trainSize);
}

/** Test accuracy 0..1 as "97.8 %" ("97,8 %"), or "–" when the snapshot has none. */
export function formatAccuracy(accuracy) {
  return typeof accuracy === "number" ? `${formatNumber(accuracy * 100, 1)} %` : "–";
}
