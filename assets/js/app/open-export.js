// Opening another export in place of the one shown, without reloading the page (issue 15): the
// model switch, back/forward between its entries and an export opened from the local disk all
// go through ExportOpener, so the drawing, the camera, the language and the settings stay.

import { loadManifest } from "../data/export-loader.js";
import { SnapshotStore } from "../data/snapshot-store.js";

export class ExportOpener {
  /**
   * @param {import("./app.js").App} app
   * @param {{show: Function, clear: () => void}} banner the error banner
   */
  constructor(app, banner) {
    this.app = app;
    this.banner = banner;
    this.latest = 0;
  }

  /**
   * The export `locate()` names ({url, exportPath}; it may throw: a refused path) replaces the one
   * shown only once its manifest and the snapshot to show (the id `snapshot` if it has it, else its
   * last) are loaded and checked: a broken one leaves the banner and the page as it was.
   * Resolves true once the export is shown, false if it failed, null if a later open overtook it.
   */
  async open(locate, { snapshot = this.app.state.snapshot?.entry.id } = {}) {
    const ticket = ++this.latest;
    const { app } = this;
    try {
      const { url, exportPath } = locate();
      const manifest = await loadManifest(url);
      const store = new SnapshotStore(manifest, { capacity: app.snapshotCapacity });
      const same = manifest.timeline.findIndex((entry) => entry.id === snapshot);
      const first = same >= 0 ? same : manifest.timeline.length - 1;
      await store.load(first);
      if (ticket !== this.latest) return null;
      this.banner.clear();
      // The tour's steps and the neurons it picked belong to the other network.
      app.endTour();
      app.openExport(manifest, exportPath, first, store);
      return true;
    } catch (error) {
      if (ticket !== this.latest) return null;
      this.banner.show({ key: "error.manifest" }, { detail: error });
      return false;
    }
  }
}

/**
 * The page's address for `exportPath`: ?export= first (its "/" kept readable, as in shared
 * links), the page's other parameters (?lang, ?role, ?room, …) exactly as they were, then
 * `hash` (encodeUrlState's; "#" alone is left out).
 */
export function exportAddress({ pathname, search }, exportPath, hash) {
  const others = search
    .replace(/^\?/, "")
    .split("&")
    .filter((part) => part !== "" && part !== "export" && !part.startsWith("export="));
  const query = [`export=${encodeURIComponent(exportPath).replaceAll("%2F", "/")}`, ...others].join("&");
  return `${pathname}?${query}${hash === "#" ? "" : hash}`;
}
