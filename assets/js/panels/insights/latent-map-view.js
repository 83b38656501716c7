// The latent map: the 1,000 probe digits placed by the last hidden layer at the current
// snapshot, gliding to their new places when the timeline moves, with the drawing as a
// distinct marker. Hover/tap a dot for its digit; click it to load it into the draw pad.
//
// Probe digits (789 kB): fetched through the page's shared sample-set cache only once they
// are wanted — a second after the page's first prediction, or at once when someone reaches
// for the map — so they never slow down the first answer.

import { loadSampleSet } from "../../data/sample-sets.js";
import { errorText } from "../../i18n/error-words.js";
import { formatNumber, t } from "../../i18n/i18n.js";
import { CoordsTransition, nearestInDirection, projectToLatent, viewBox } from "../../model/latent.js";
import { argmax } from "../../model/mlp.js";
import { el } from "../dom.js";
import { snapshotLabel } from "../timeline-format.js";
import { digitCanvas, fitCanvas, pointerPosition, watchWidth } from "./canvas.js";
import { CLASS_COLOURS } from "./class-colours.js";

// People who ask for less motion get the new map at once.
const TRANSITION_MS = globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ? 0 : 400;
const HIT_RADIUS = 12; // CSS px: generous enough for a fingertip
const MAX_SIDE = 520;
const UNLABELLED = "rgba(141, 150, 168, 0.6)";
const PROBE_GRACE_MS = 1000;

export class LatentMapView {
  /**
   * @param {HTMLElement} container emptied and filled by the view
   * @param {{loadDigit: (pixels: Float32Array) => void}} actions
   */
  constructor(container, actions) {
    this.actions = actions;
    this.state = null;
    this.probe = null;
    this.probeUrl = null;
    this.probeWanted = false;
    this.probeTimer = 0;
    this.coords = null; // the current snapshot's Float32Array(2 × 1000)
    this.points = new CoordsTransition(TRANSITION_MS);
    this.marker = new CoordsTransition(TRANSITION_MS);
    // The visible region [centreX, centreY, halfSide] glides with the points, so early
    // snapshots (a tight blob with a long tail) are zoomed in as much as late ones.
    this.view = new CoordsTransition(TRANSITION_MS);
    this.hasMarker = false;
    this.markerClass = -1; // the drawing's predicted class: the marker's ring colour
    this.hovered = -1;
    this.pinned = -1; // a tapped dot on touch screens: the next tap on it loads it
    this.pressedWith = "mouse";
    this.highlightClass = -1; // the class picked out on the map (others fade), -1 = none
    this.pinnedClass = -1; // the class clicked in the legend
    this.side = 0;
    this.frameRequest = 0;
    this.drawOrder = shuffledOrder(0);
    this.coordsId = "";

    this.canvas = el("canvas", {
      class: "ins-latent-canvas",
      tabindex: "0",
      "aria-label": t("latent.canvas"),
    });
    this.tooltipDigit = el("canvas");
    this.tooltipLabel = el("span", { class: "ins-tooltip-label" });
    this.tooltipHint = el("span", { class: "ins-tooltip-hint" });
    this.tooltip = el("div", { class: "ins-tooltip", role: "status", hidden: "" }, [
      this.tooltipDigit,
      el("div", {}, [this.tooltipLabel, this.tooltipHint]),
    ]);
    this.stage = el("div", { class: "ins-latent-stage" }, [this.canvas, this.tooltip]);
    this.status = el("p", { class: "ins-status", role: "status" });
    this.status.textContent = t("latent.start", { count: formatNumber(1000) });
    this.caption = el("p", { class: "ins-caption" });
    this.legend = this.buildLegend();
    container.replaceChildren(el("div", { class: "ins-view ins-latent" }, [this.stage, this.legend, this.caption, this.status]));

    this.canvas.addEventListener("pointermove", (event) => this.onPointerMove(event));
    this.canvas.addEventListener("pointerleave", (event) => event.pointerType === "mouse" && this.setHovered(-1));
    // Older Safari's click is not a PointerEvent: remember what pressed.
    this.canvas.addEventListener("pointerdown", (event) => (this.pressedWith = event.pointerType));
    this.canvas.addEventListener("click", (event) => this.onClick(event));
    this.canvas.addEventListener("keydown", (event) => this.onKey(event));
    this.canvas.addEventListener("blur", () => this.setHovered(-1));
    for (const type of ["pointerenter", "pointerdown", "focus"]) this.canvas.addEventListener(type, () => this.wantProbe());
    // The glide is only worth its frames when people can see it: a map scrolled out of
    // view (or mostly so) jumps, and leaves the frames to the 3D view.
    this.onScreen = true;
    new IntersectionObserver(([entry]) => (this.onScreen = entry.intersectionRatio >= 0.5), { threshold: [0, 0.5, 1] }).observe(
      this.canvas,
    );
    watchWidth(this.stage, (width) => {
      this.side = Math.min(width, MAX_SIDE);
      this.render();
    });
  }

  /** Class buttons: hovering previews one class, clicking (or tapping) keeps it picked out. */
  buildLegend() {
    const buttons = CLASS_COLOURS.map((colour, digit) => {
      const button = el(
        "button",
        { type: "button", class: "ins-legend-class", "aria-pressed": "false", "aria-label": t("latent.legendButton", { digit }) },
        [el("span", { class: "ins-swatch", style: `background:${colour}` }), String(digit)],
      );
      button.addEventListener("pointerenter", () => this.setHighlight(digit, this.pinnedClass));
      button.addEventListener("pointerleave", () => this.setHighlight(-1, this.pinnedClass));
      button.addEventListener("click", () => this.setHighlight(-1, this.pinnedClass === digit ? -1 : digit));
      return button;
    });
    this.legendButtons = buttons;
    const marker = el("span", { class: "ins-legend-marker" }, [el("span", { class: "ins-marker-swatch" }), t("latent.yourDrawing")]);
    return el("div", { class: "ins-legend", role: "group", "aria-label": t("latent.legend") }, [...buttons, marker]);
  }

  setHighlight(previewClass, pinnedClass) {
    this.pinnedClass = pinnedClass;
    this.highlightClass = previewClass >= 0 ? previewClass : pinnedClass;
    this.legendButtons.forEach((button, digit) => {
      button.setAttribute("aria-pressed", String(digit === pinnedClass));
    });
    this.render();
  }

  /**
   * Works only when the snapshot or the forward pass changed: the drawing's marker is
   * re-projected (128 multiply-adds) and the map redrawn only if the marker moved.
   */
  update(state, changed) {
    this.state = state;
    if (!state.manifest) return;
    // After the first prediction, a moment's grace: its first frames go to the 3D view.
    if (state.result && !this.probeWanted) this.probeTimer ||= setTimeout(() => this.wantProbe(), PROBE_GRACE_MS);
    if (this.probeWanted && changed.has("manifest")) this.loadProbe(state.manifest.probe);

    const snapshotChanged = changed.has("snapshot");
    if (!snapshotChanged && !changed.has("result")) return;
    const now = performance.now();
    if (snapshotChanged) {
      this.setHovered(-1); // its dot is about to move away from the tooltip
      const coords = state.snapshot?.tensors.get("latent.coords")?.data ?? null;
      if (coords) {
        const box = Float32Array.from(viewBox(coords));
        if (this.coords && this.onScreen) {
          this.points.start(coords, now);
          this.view.start(box, now);
        } else {
          this.points.snapTo(coords);
          this.view.snapTo(box);
        }
        this.coords = coords;
        if (this.drawOrder.length !== coords.length / 2) this.drawOrder = shuffledOrder(coords.length / 2);
      }
      const entry = state.snapshot?.entry;
      this.coordsId = entry?.id ?? "";
      this.caption.textContent = entry
        ? t("latent.caption", {
            count: formatNumber(state.manifest.latent?.probe_size ?? 1000),
            snapshot: snapshotLabel(entry, state.manifest.training?.dataset?.train_size),
          })
        : "";
    }
    const markerMoved = this.placeMarker(snapshotChanged, now);
    if (!snapshotChanged && !markerMoved) return;
    // Drawn in the next frame: the page's own answer (3D view, probabilities) comes first.
    this.animate();
  }

  /** Projects the drawing; glides when the snapshot changed. Returns whether the marker changed. */
  placeMarker(snapshotChanged, now) {
    const { result } = this.state;
    const mean = this.state.snapshot?.tensors.get("latent.mean")?.data ?? null;
    const components = this.state.snapshot?.tensors.get("latent.components")?.data ?? null;
    if (!result || !mean || !components) {
      const had = this.hasMarker;
      this.hasMarker = false;
      return had;
    }
    const hiddenLast = result.activations[result.activations.length - 2];
    const [x, y] = projectToLatent(hiddenLast, mean, components);
    const predicted = argmax(result.logits);
    const target = this.marker.to;
    if (this.hasMarker && target && target[0] === Math.fround(x) && target[1] === Math.fround(y) && predicted === this.markerClass) {
      return false;
    }
    const position = Float32Array.of(x, y);
    if (snapshotChanged && this.hasMarker && this.onScreen) this.marker.start(position, now);
    else this.marker.snapTo(position);
    this.hasMarker = true;
    this.markerClass = predicted;
    return true;
  }

  wantProbe() {
    clearTimeout(this.probeTimer);
    if (this.probeWanted) return;
    this.probeWanted = true;
    if (this.state?.manifest) this.loadProbe(this.state.manifest.probe);
  }

  loadProbe(entry) {
    const url = entry?.url;
    this.probeUrl = url;
    this.probe = null;
    this.setHovered(-1);
    if (!url) {
      this.status.textContent = t("latent.none");
      return;
    }
    this.status.textContent = t("latent.loading");
    loadSampleSet(entry, this.state.manifest).then(
      (probe) => {
        if (url !== this.probeUrl) return; // another export was loaded meanwhile
        this.probe = probe;
        this.drawOrder = shuffledOrder(probe.count);
        this.status.textContent = "";
        this.render();
      },
      (error) => {
        if (url === this.probeUrl) this.status.textContent = t("latent.failed", { detail: errorText(error) });
      },
    );
  }

  /** Renders in the next frame, and in every frame while a glide runs. */
  animate() {
    if (this.frameRequest) return;
    const step = (now) => {
      this.frameRequest = 0;
      const pointsRunning = this.points.frame(now);
      const markerRunning = this.marker.frame(now);
      const viewRunning = this.view.frame(now);
      this.render();
      if (pointsRunning || markerRunning || viewRunning) this.frameRequest = requestAnimationFrame(step);
    };
    this.frameRequest = requestAnimationFrame(step);
  }

  /** Map coordinates → canvas CSS pixels (y up, as in the usual scatter plot). */
  toScreen(x, y) {
    const [centreX, centreY, halfSide] = this.view.current ?? [0, 0, 1];
    const half = this.side / 2;
    return [half + ((x - centreX) / halfSide) * half, half - ((y - centreY) / halfSide) * half];
  }

  render() {
    if (!this.side) return;
    const context = fitCanvas(this.canvas, this.side, this.side);
    context.fillStyle = "#0d1218";
    context.fillRect(0, 0, this.side, this.side);
    this.drawAxes(context);
    const coords = this.points.current;
    if (!coords) return;

    // Until the probe's labels arrive the dots are drawn in one quiet grey: the shape first.
    const radius = this.side < 400 ? 2.2 : 2.8;
    for (const i of this.drawOrder) {
      const label = this.probe ? this.probe.labels[i] : -1;
      const [x, y] = this.toScreen(coords[2 * i], coords[2 * i + 1]);
      context.globalAlpha = this.highlightClass < 0 || this.highlightClass === label ? 0.9 : 0.12;
      context.fillStyle = this.probe ? CLASS_COLOURS[label] : UNLABELLED;
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
    if (this.hovered >= 0) {
      const [x, y] = this.toScreen(coords[2 * this.hovered], coords[2 * this.hovered + 1]);
      context.strokeStyle = "#ffffff";
      context.lineWidth = 2;
      context.beginPath();
      context.arc(x, y, radius + 4, 0, 2 * Math.PI);
      context.stroke();
    }
    if (this.hasMarker) this.drawMarker(context);
    // Stable hooks for tests: the snapshot whose map is fully drawn, and whether dots are coloured.
    if (!this.points.running) this.canvas.dataset.snapshot = this.coordsId;
    this.canvas.dataset.probe = this.probe ? "loaded" : "";
  }

  drawAxes(context) {
    const [cx, cy] = this.toScreen(0, 0);
    context.strokeStyle = "rgba(255,255,255,0.07)";
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(0, cy);
    context.lineTo(this.side, cy);
    context.moveTo(cx, 0);
    context.lineTo(cx, this.side);
    context.stroke();
  }

  /** A white diamond ringed in the predicted class's colour; pinned to the edge when off the map. */
  drawMarker(context) {
    const size = 8;
    const [mx, my] = this.toScreen(...this.marker.current);
    const inside = (v) => Math.max(size + 2, Math.min(this.side - size - 2, v));
    const [x, y] = [inside(mx), inside(my)];
    const offMap = x !== mx || y !== my;
    context.beginPath();
    context.moveTo(x, y - size);
    context.lineTo(x + size, y);
    context.lineTo(x, y + size);
    context.lineTo(x - size, y);
    context.closePath();
    context.lineWidth = 4;
    context.strokeStyle = "#0d1218";
    context.stroke();
    context.fillStyle = offMap ? "#0d1218" : "#ffffff";
    context.fill();
    context.lineWidth = 2;
    context.strokeStyle = CLASS_COLOURS[this.markerClass];
    context.stroke();
  }

  /** The dot nearest to a canvas position (CSS px) within `radius`, or -1. */
  nearestPoint(position, radius = HIT_RADIUS) {
    const coords = this.points.current;
    if (!coords || !this.probe) return -1;
    let best = -1;
    let bestDistance = radius * radius;
    for (let i = 0; i < this.probe.count; i++) {
      if (this.highlightClass >= 0 && this.probe.labels[i] !== this.highlightClass) continue;
      const [x, y] = this.toScreen(coords[2 * i], coords[2 * i + 1]);
      const distance = (x - position.x) ** 2 + (y - position.y) ** 2;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = i;
      }
    }
    return best;
  }

  onPointerMove(event) {
    if (event.pointerType !== "mouse") return; // touch shows the tooltip on tap instead
    this.setHovered(this.nearestPoint(pointerPosition(event, this.canvas)));
  }

  onClick(event) {
    const index = this.nearestPoint(pointerPosition(event, this.canvas));
    const touch = this.pressedWith === "touch" || this.pressedWith === "pen";
    if (touch && index !== this.pinned) {
      // First tap shows the digit; a second tap on the same dot loads it.
      this.pinned = index;
      this.setHovered(index);
      return;
    }
    this.pinned = -1;
    if (index >= 0) this.actions.loadDigit(this.probe.pixels(index));
  }

  onKey(event) {
    const directions = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const coords = this.points.current;
    if (!coords || !this.probe) return;
    if (event.key in directions) {
      const eligible = (i) => this.highlightClass < 0 || this.probe.labels[i] === this.highlightClass;
      const next =
        this.hovered < 0
          ? this.nearestPoint({ x: this.side / 2, y: this.side / 2 }, Infinity)
          : nearestInDirection(coords, this.hovered, ...directions[event.key], eligible);
      if (next >= 0) this.setHovered(next);
    } else if ((event.key === "Enter" || event.key === " ") && this.hovered >= 0) {
      this.actions.loadDigit(this.probe.pixels(this.hovered));
    } else if (event.key === "Escape") {
      this.setHovered(-1);
    } else {
      return;
    }
    event.preventDefault();
  }

  setHovered(index) {
    if (index === this.hovered) return;
    this.hovered = index;
    if (index < 0) {
      this.tooltip.hidden = true;
    } else {
      const names = this.state.manifest.model.class_names;
      digitCanvas(this.probe.image(index), this.probe.shape, this.tooltipDigit);
      this.tooltipLabel.textContent = t("latent.tooltip", { digit: names[this.probe.labels[index]], index: this.probe.testIndices[index] });
      this.tooltipHint.textContent = t(this.pinned === index ? "latent.tapAgain" : "latent.click");
      const [x, y] = this.toScreen(this.points.current[2 * index], this.points.current[2 * index + 1]);
      // Keep the tooltip inside the map: flip it left/up near the right/bottom edges.
      this.tooltip.style.left = x < this.side / 2 ? `${x + 14}px` : "";
      this.tooltip.style.right = x < this.side / 2 ? "" : `${this.stage.clientWidth - x + 14}px`;
      this.tooltip.style.top = y < this.side / 2 ? `${y + 14}px` : "";
      this.tooltip.style.bottom = y < this.side / 2 ? "" : `${this.stage.clientHeight - y + 14}px`;
      this.tooltip.hidden = false;
    }
    this.render();
  }
}

/** A fixed shuffle of 0..n-1, so no class is always painted on top of the others. */
function shuffledOrder(n) {
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
