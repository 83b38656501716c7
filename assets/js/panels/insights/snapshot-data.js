// Reading the page's app state the same way in every view.

/** A decoded tensor of the current snapshot (as the snapshot store loaded it), or null. */
export function snapshotTensor(state, name) {
  return state.snapshot?.tensors?.get(name)?.data ?? null;
}

/** Index of the snapshot on show in manifest.timeline (-1 before the first one). */
export function shownIndex(state) {
  return state?.snapshotIndex ?? -1;
}

/** The current timeline entry of the manifest, or null. */
export function currentEntry(state) {
  return state?.manifest?.timeline?.[shownIndex(state)] ?? null;
}

/** The digit names for labels ("0" … "9" unless the manifest says otherwise). */
export function classNames(manifest) {
  return manifest?.model?.class_names ?? ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
}
