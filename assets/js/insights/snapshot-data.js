// Reading the page's app state the same way in every view.

/** A decoded tensor of the current snapshot (`state.snapshot` is the tensors Map or a parsed file). */
export function snapshotTensor(state, name) {
  const tensors = state.snapshot instanceof Map ? state.snapshot : state.snapshot?.tensors;
  return tensors?.get(name)?.data ?? null;
}

/**
 * Index of the snapshot on show: state.snapshotIndex, else the index the snapshot store
 * stamped on the loaded snapshot (so either way of keeping the state works).
 */
export function shownIndex(state) {
  return state?.snapshotIndex ?? state?.snapshot?.index ?? -1;
}

/** The current timeline entry of the manifest, or null. */
export function currentEntry(state) {
  return state?.manifest?.timeline?.[shownIndex(state)] ?? null;
}

/** The digit names for labels ("0" … "9" unless the manifest says otherwise). */
export function classNames(manifest) {
  return manifest?.model?.class_names ?? ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
}
