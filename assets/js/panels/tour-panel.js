// The guided tour's dialog (#tour): the step's title and words with the drawing's real
// numbers, progress dots, Back / Next (#tour-back, #tour-next), close (#tour-close), and
// the "How it works" button that opens it (#tour-start). Keyboard: Space or → next,
// ← back, Escape closes. A non-modal dialog: the page stays usable (draw while touring).
// Focus moves into the dialog when it opens and back to where it was when it closes; each
// new step is announced once through a polite live region (the words that follow the
// drawing change silently). The last step reached is kept (localStorage), so "How it
// works" resumes there.
import { formatNumber, formatPercent, t } from "../i18n/i18n.js";
import { TOUR_STEPS, tourFacts, tourSteps } from "../model/tour-steps.js";
import { el } from "./dom.js";

const SAVED = "tour-step"; // localStorage key: the 0-based step to resume at

function readSaved() {
  try {
    const step = Number(localStorage.getItem(SAVED));
    return Number.isInteger(step) && step > 0 && step < TOUR_STEPS.length ? step : 0;
  } catch {
    return 0; // storage refused (privacy settings): start at the beginning
  }
}

function save(step) {
  try {
    if (step > 0) localStorage.setItem(SAVED, String(step));
    else localStorage.removeItem(SAVED);
  } catch {
    // nothing to resume then
  }
}

/** The words' {placeholders} for one step, formatted for the language shown. */
export function stepParams(id, facts) {
  const n = (value, decimals = 0) => (value === undefined ? "–" : formatNumber(value, decimals));
  const p = (value) => (value === undefined ? "–" : formatPercent(value));
  const { layer1 = {}, layer2 = {}, cnn = {} } = facts;
  const params = {
    input: { pixels: n(facts.pixels), rows: facts.rows, columns: facts.columns },
    neuron: { pixels: n(facts.pixels), neuron: n(facts.neuron) },
    sum: {
      pixels: n(facts.pixels),
      neuron: n(facts.neuron),
      dot: n(facts.dot, 2),
      bias: n(facts.bias, 2),
      sum: n(facts.sum, 2),
      activation: n(facts.activation, 2),
    },
    layer1: { size: n(layer1.size), pixels: n(facts.pixels), active: n(layer1.active) },
    layer2: { size: n(layer2.size), inputs: n(layer2.inputs), active: n(layer2.active) },
    conv: { maps: n(cnn.maps1), kernel: n(cnn.kernel1), size: n(cnn.size1) },
    pool: { maps: n(cnn.maps1), window: n(cnn.window), pooled: n(cnn.pooled1) },
    conv2: { maps: n(cnn.maps2), inputs: n(cnn.maps1), kernel: n(cnn.kernel2), pooled: n(cnn.pooled2) },
    dense: { maps: n(cnn.maps2), flat: n(cnn.flat), hidden: n(cnn.hidden), active: n(cnn.active) },
    output: {
      digit: facts.digit ?? "–",
      percent: p(facts.confidence),
      second: facts.second ?? "–",
      secondPercent: p(facts.secondConfidence),
    },
    training: { images: n(facts.images) },
    latent: { size: n(facts.latentSize), probes: n(facts.probes) },
    end: { parameters: n(facts.parameters) },
  };
  return params[id] ?? {};
}

export class TourPanel {
  /**
   * @param {{start: HTMLButtonElement, host: HTMLElement}} elements the "How it works" button; where the dialog goes
   * @param {{onStart: (step: number) => void, onNext: () => void, onBack: () => void, onGoTo: (step: number) => void,
   *          onClose: () => void, onEffect: (effect: string) => void}} hooks
   */
  constructor({ start, host }, hooks) {
    this.hooks = hooks;
    this.start = start;
    this.shown = null; // the step on show, or null
    this.returnFocus = null;
    this.spotlit = null;
    this.title = el("h2", { id: "tour-title", class: "tour-title" });
    this.text = el("p", { id: "tour-text", class: "tour-text" });
    this.note = el("p", { class: "tour-note", hidden: "" });
    this.progress = el("p", { class: "tour-progress" });
    this.announcer = el("p", { class: "visually-hidden", "aria-live": "polite", "aria-atomic": "true" });
    this.back = el("button", { type: "button", id: "tour-back" }, [t("tour.back")]);
    this.next = el("button", { type: "button", id: "tour-next", class: "primary" }, [t("tour.next")]);
    this.close = el("button", { type: "button", id: "tour-close", class: "tour-close", "aria-label": t("tour.close") }, ["×"]);
    this.dots = TOUR_STEPS.map((_step, i) => {
      const dot = el("button", { type: "button", class: "tour-dot" });
      dot.addEventListener("click", () => hooks.onGoTo(i));
      return dot;
    });
    this.dialog = el(
      "div",
      {
        id: "tour",
        class: "tour",
        role: "dialog",
        "aria-labelledby": "tour-title",
        "aria-describedby": "tour-text",
        tabindex: "-1",
        hidden: "",
      },
      [
        el("div", { class: "tour-head" }, [this.progress, this.close]),
        this.title,
        this.text,
        this.note,
        el("div", { class: "tour-foot" }, [
          el("div", { class: "tour-dots", role: "group", "aria-label": t("tour.dialog") }, this.dots),
          el("div", { class: "tour-nav" }, [this.back, this.next]),
        ]),
        el("p", { class: "tour-keys" }, [t("tour.keys")]),
        this.announcer,
      ],
    );
    host.append(this.dialog);
    start.addEventListener("click", () => hooks.onStart(readSaved()));
    this.back.addEventListener("click", () => hooks.onBack());
    this.next.addEventListener("click", () => hooks.onNext());
    this.close.addEventListener("click", () => hooks.onClose());
    document.addEventListener("keydown", (event) => this.onKey(event));
    this.labelStart();
  }

  labelStart() {
    const saved = readSaved();
    this.start.textContent = saved > 0 ? t("tour.resume", { step: saved + 1 }) : t("tour.start");
  }

  /** Space / → next, ← back, Escape closes; keys meant for a control (a slider, a tab, a button) stay theirs. */
  onKey(event) {
    if (this.shown === null || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      event.preventDefault();
      this.hooks.onClose();
      return;
    }
    const target = event.target;
    const free = target === document.body || target === document.documentElement || target === this.dialog;
    const inDialog = this.dialog.contains(target);
    const action = { ArrowRight: "onNext", ArrowLeft: "onBack", " ": "onNext" }[event.key];
    if (!action || !(free || (inDialog && event.key !== " "))) return;
    event.preventDefault();
    this.hooks[action]();
  }

  update(state, changed) {
    if (!["tour", "result", "snapshot", "manifest"].some((key) => changed.has(key))) return;
    const step = state.tour && state.manifest ? state.tour.step : null;
    if (step === null) {
      if (this.shown !== null) this.hide(state);
      return;
    }
    const opening = this.shown === null;
    const moved = step !== this.shown;
    this.shown = step;
    const steps = tourSteps(state.manifest.model);
    const { id, effect, spotlight } = steps[step];
    const facts = tourFacts(state);
    const params = stepParams(id, facts);
    this.dialog.dataset.step = String(step + 1);
    this.dialog.dataset.stepId = id;
    this.progress.textContent = t("tour.progress", { step: step + 1, count: steps.length });
    this.title.textContent = t(`tour.${id}.title`, params);
    this.text.textContent = t(`tour.${id}.text`, params);
    const loaded = state.tour.loadedDigit !== null && state.source === "digit";
    this.note.hidden = !loaded;
    this.note.textContent = loaded ? t("tour.loadedDigit", { digit: state.tour.loadedDigit }) : "";
    this.dialog.dataset.loadedDigit = loaded ? String(state.tour.loadedDigit) : "";
    if (!moved) return;
    this.dots.forEach((dot, i) => {
      dot.setAttribute("aria-label", t("tour.dot", { step: i + 1, title: t(`tour.${steps[i].id}.title`, stepParams(steps[i].id, facts)) }));
      if (i === step) dot.setAttribute("aria-current", "step");
      else dot.removeAttribute("aria-current");
    });
    const last = step === steps.length - 1;
    this.next.textContent = last ? t("tour.finish") : t("tour.next");
    if (this.back === document.activeElement && step === 0) this.next.focus();
    this.back.disabled = step === 0;
    this.spotlight(spotlight);
    save(last ? 0 : step);
    this.announcer.textContent = `${this.progress.textContent}: ${this.title.textContent}. ${this.text.textContent}`;
    if (opening) {
      this.dialog.hidden = false;
      this.returnFocus = document.activeElement;
      this.dialog.focus();
    }
    if (effect && effect !== "select-neuron") this.hooks.onEffect(effect);
  }

  spotlight(selector) {
    this.spotlit?.classList.remove("tour-spotlight");
    this.spotlit = selector ? document.querySelector(selector) : null;
    this.spotlit?.classList.add("tour-spotlight");
  }

  hide() {
    this.shown = null;
    this.spotlight(null);
    const hadFocus = this.dialog.contains(document.activeElement);
    this.dialog.hidden = true;
    this.announcer.textContent = "";
    this.labelStart();
    if (hadFocus || document.activeElement === document.body) {
      const back = this.returnFocus && this.returnFocus !== document.body && this.returnFocus.isConnected ? this.returnFocus : this.start;
      back.focus();
    }
  }
}
