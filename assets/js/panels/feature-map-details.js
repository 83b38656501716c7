// The selected feature map in the neuron details: a convolution map's kernels as small images
// (one per input map, on the shared palette, scaled together so their strengths compare) and,
// for conv and pool maps alike, the map's values for the current drawing: min, max, mean and
// the share of active (positive) values. Kernels are redrawn when the map or the snapshot
// changes; the statistics on every stroke (text only).
import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { writeSrgbBytes } from "../model/palette.js";
import { mapPosition, mapStatistics } from "../model/receptive-field.js";
import { el } from "./dom.js";

const STATS = ["min", "max", "mean", "active"];

export class FeatureMapDetails {
  constructor() {
    this.kernelsTitle = el("p", { class: "map-kernels-title" });
    this.kernels = el("div", { class: "map-kernels", id: "neuron-kernels" });
    this.values = {};
    this.stats = el(
      "dl",
      { class: "neuron-stats map-stats", id: "neuron-map-stats" },
      STATS.map((key) => {
        this.values[key] = el("dd");
        return el("div", {}, [el("dt", {}, [t(`map.${key}`)]), this.values[key]]);
      }),
    );
    this.statsTitle = el("p", { class: "map-stats-title" });
    this.explain = el("p", { class: "hint" });
    this.root = el("div", { id: "neuron-map", class: "neuron-map" }, [
      this.kernelsTitle,
      this.kernels,
      this.statsTitle,
      this.stats,
      this.explain,
    ]);
    this.root.hidden = true;
    this.shown = null; // the runtime layer and map whose kernels are drawn
  }

  /** `selection`: { layer (runtime, model/network.js), stage, index, result, changed } of a feature-map value, or null. */
  update(selection) {
    this.root.hidden = !selection;
    if (!selection) {
      this.shown = null;
      return;
    }
    const { layer, stage, index, result } = selection;
    const { map } = mapPosition(layer.outShape, index);
    this.root.dataset.stage = String(stage);
    this.root.dataset.map = String(map);
    if (this.shown?.layer !== layer || this.shown?.map !== map) {
      this.shown = { layer, map };
      this.drawKernels(layer, map);
      this.explain.textContent =
        layer.type === "conv2d"
          ? t(layer.channels === 1 ? "map.explainConvOne" : "map.explainConv", { map: map + 1, channels: layer.channels, k: layer.kernel })
          : t("map.explainPool", { map: map + 1, k: layer.kernel, from: layer.rows, to: layer.outRows });
    }
    this.fillStatistics(result ? result.activations[stage] : null, layer.outShape, map);
  }

  drawKernels(layer, map) {
    const conv = layer.type === "conv2d";
    this.kernelsTitle.hidden = !conv;
    this.kernels.hidden = !conv;
    if (!conv) {
      this.kernels.replaceChildren();
      return;
    }
    const { weight, channels, kernel } = layer;
    const area = kernel * kernel;
    const from = map * channels * area;
    let max = 0;
    for (let i = from; i < from + channels * area; i++) max = Math.max(max, Math.abs(weight[i]));
    const scale = max > 0 ? 1 / max : 0;
    this.kernelsTitle.textContent = t(channels === 1 ? "map.kernelOne" : "map.kernels", { count: channels, k: kernel });
    this.kernels.replaceChildren(
      ...Array.from({ length: channels }, (_, c) => {
        const canvas = el("canvas", { class: "kernel", width: kernel, height: kernel, "data-channel": c });
        canvas.setAttribute("aria-label", t("map.kernel", { channel: c + 1 }));
        const image = new ImageData(kernel, kernel);
        for (let i = 0; i < area; i++) {
          writeSrgbBytes(weight[from + c * area + i] * scale, image.data, i * 4);
          image.data[i * 4 + 3] = 255;
        }
        canvas.getContext("2d").putImageData(image, 0, 0);
        return canvas;
      }),
    );
  }

  fillStatistics(values, shape, map) {
    const stats = values ? mapStatistics(values, shape, map) : null;
    this.statsTitle.textContent = t(stats ? "map.statsTitle" : "map.statsBlank", { map: map + 1 });
    for (const key of STATS) {
      const value = stats?.[key];
      this.values[key].textContent = stats ? (key === "active" ? formatPercent(value) : formatNumber(value, 3)) : "–";
      // Full precision for checks; the text is rounded for people.
      if (stats) this.stats.dataset[key] = String(value);
      else delete this.stats.dataset[key];
    }
  }
}
