// Real MNIST test digits for the 0–9 buttons, from the export's probe set (downloaded on
// the first click, or earlier by the latent map: one shared download). Each click on a
// digit shows the next example of that class.
import { DataError } from "./messages.js";
import { loadSampleSet } from "./sample-sets.js";

export class ProbeDigits {
  constructor(manifest, fetchImpl) {
    this.entry = manifest.probe;
    this.manifest = manifest;
    this.fetch = fetchImpl;
    this.byClass = null;
    this.next = new Array(10).fill(0);
  }

  /** The next test digit of class `digit`: { pixels (one per input pixel, 0..1), testIndex }. */
  async take(digit) {
    if (!this.entry) throw new DataError("data.noProbe");
    const probe = await loadSampleSet(this.entry, this.manifest, this.fetch);
    if (!this.byClass) {
      this.byClass = Array.from({ length: 10 }, () => []);
      for (const [i, label] of probe.labels.entries()) this.byClass[label]?.push(i);
    }
    const examples = this.byClass[digit];
    if (!examples.length) throw new DataError("data.probeHasNo", { digit: String(digit) });
    const i = examples[this.next[digit]++ % examples.length];
    return { pixels: probe.pixels(i), testIndex: probe.testIndices[i] };
  }
}
