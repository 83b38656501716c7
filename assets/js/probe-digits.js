// Real MNIST test digits for the 0–9 buttons, from the export's probe set
// (fetched once, on the first click). Each click on a digit shows the next
// example of that class.
import { parseSafetensors } from "./safetensors.js";
import { displayPath } from "./snapshot-store.js";
import { pixelsFromBytes } from "./preprocess.js";

export class ProbeDigits {
  constructor(manifest, fetchImpl = globalThis.fetch.bind(globalThis)) {
    this.entry = manifest.probe;
    this.scale = manifest.model.input.scale;
    this.fetch = fetchImpl;
    this.loading = null;
    this.next = new Array(10).fill(0);
  }

  async load() {
    if (!this.entry) throw new Error("this export has no probe set of test digits");
    const path = displayPath(this.entry.url);
    let buffer;
    try {
      const response = await this.fetch(this.entry.url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      buffer = await response.arrayBuffer();
    } catch (error) {
      throw new Error(`${path}: could not be loaded (${error.message})`);
    }
    try {
      if (this.entry.bytes !== undefined && buffer.byteLength !== this.entry.bytes) {
        throw new Error(`${buffer.byteLength} bytes, the manifest says ${this.entry.bytes} (truncated or replaced file)`);
      }
      const { tensors } = parseSafetensors(buffer);
      const images = tensors.get("images"), labels = tensors.get("labels");
      if (!images || images.dtype !== "U8" || images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) throw new Error('"images" must be U8 [n, 28, 28]');
      if (!labels || labels.shape[0] !== images.shape[0]) throw new Error('"labels" must have one label per image');
      const byClass = Array.from({ length: 10 }, () => []);
      labels.data.forEach((label, i) => byClass[label]?.push(i));
      return { images: images.data, testIndices: tensors.get("test_indices")?.data, byClass };
    } catch (error) {
      throw new Error(`${path}: ${error.message}`);
    }
  }

  /** The next test digit of class `digit`: { pixels (784, 0..1), testIndex }. */
  async take(digit) {
    this.loading ??= this.load().catch((error) => {
      this.loading = null; // let a later click try again
      throw error;
    });
    const { images, testIndices, byClass } = await this.loading;
    const examples = byClass[digit];
    if (!examples.length) throw new Error(`the probe set has no ${digit}`);
    const i = examples[this.next[digit]++ % examples.length];
    return { pixels: pixelsFromBytes(images.subarray(i * 784, (i + 1) * 784), this.scale), testIndex: testIndices ? testIndices[i] : null };
  }
}
