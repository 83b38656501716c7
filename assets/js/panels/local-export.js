// Opening an export from the local disk: the #open-export button opens a folder dialog (the
// manifest together with its folder), and the whole page is a drop target for the manifest and
// its folder (or the folder holding both), with an overlay while something is dragged over it.
// What was chosen goes to `onFiles` as [{ path, file }], paths relative to what was picked.

import { errorText } from "../i18n/error-words.js";
import { t } from "../i18n/i18n.js";
import { el } from "./dom.js";

/** Every file under a dropped FileSystemEntry, with its path from the drop. */
async function entryFiles(entry) {
  if (entry.isFile) return [{ path: entry.fullPath.replace(/^\//, ""), file: await new Promise((done, fail) => entry.file(done, fail)) }];
  const reader = entry.createReader();
  const children = [];
  // readEntries answers in batches until it returns none.
  for (;;) {
    const batch = await new Promise((done, fail) => reader.readEntries(done, fail));
    if (batch.length === 0) break;
    children.push(...batch);
  }
  return (await Promise.all(children.map(entryFiles))).flat();
}

export class LocalExport {
  /**
   * @param {{button: HTMLButtonElement, input: HTMLInputElement, target: HTMLElement}} elements
   * @param {{onFiles: (entries: {path: string, file: File}[]) => void, onError: (message: string) => void}} hooks
   */
  constructor({ button, input, target }, { onFiles, onError }) {
    this.overlay = el("div", { id: "drop-overlay", class: "drop-overlay", "aria-hidden": "true" }, [el("p", {}, [t("local.drop")])]);
    this.overlay.hidden = true;
    target.append(this.overlay);
    button.addEventListener("click", () => input.click());
    input.addEventListener("change", () => {
      const entries = Array.from(input.files, (file) => ({ path: file.webkitRelativePath || file.name, file }));
      input.value = ""; // choosing the same folder again is a new opening
      if (entries.length) onFiles(entries);
    });
    let depth = 0; // dragenter/dragleave pairs of nested elements
    const carriesFiles = (event) => Array.from(event.dataTransfer?.types ?? []).includes("Files");
    target.addEventListener("dragenter", (event) => {
      if (!carriesFiles(event)) return;
      depth++;
      this.overlay.hidden = false;
    });
    target.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) this.overlay.hidden = true;
    });
    target.addEventListener("dragover", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault(); // accept the drop
      event.dataTransfer.dropEffect = "copy";
    });
    target.addEventListener("drop", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      this.overlay.hidden = true;
      const items = Array.from(event.dataTransfer.items ?? [])
        .map((item) => item.webkitGetAsEntry?.())
        .filter(Boolean);
      const read = items.length
        ? Promise.all(items.map(entryFiles)).then((lists) => lists.flat())
        : Promise.resolve(Array.from(event.dataTransfer.files, (file) => ({ path: file.name, file })));
      read.then(onFiles, (error) => onError(t("local.unreadable", { problem: errorText(error) })));
    });
  }
}
