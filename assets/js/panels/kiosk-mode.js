// Museum kiosk mode (?kiosk or #kiosk, issue 14): a page nobody can leave, zoom, select or
// right-click, that keeps the screen awake, shows the attract loop's invitation, and hands every
// touch, click or key to `onInput` (the attract loop's idle timer) before the page sees it.
import { t } from "../i18n/i18n.js";
import { el } from "./dom.js";

const INPUT_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"];
const ZOOM_KEYS = new Set(["+", "-", "=", "0"]);

export class KioskMode {
  /**
   * @param {{body: HTMLElement, viewport: HTMLMetaElement|null, inviteHost: HTMLElement}} elements
   * @param {{onInput: () => void}} hooks
   */
  constructor({ body, viewport, inviteHost }, { onInput }) {
    this.body = body;
    body.dataset.kiosk = "true";
    viewport?.setAttribute("content", "width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no");
    this.invite = el("p", { id: "attract-invite", class: "attract-invite", "aria-live": "polite" }, [t("kiosk.invite")]);
    this.invite.hidden = true;
    inviteHost.append(this.invite);

    const view = body.ownerDocument.defaultView;
    // Capture phase: the loop ends (and the pad is cleared) before the touch reaches the pad,
    // so the visitor's stroke starts on a clean pad.
    for (const type of INPUT_EVENTS) view.addEventListener(type, () => onInput(), { capture: true, passive: true });
    view.addEventListener("contextmenu", (event) => event.preventDefault(), { capture: true });
    // No page zoom: ctrl+wheel (and trackpad pinch), Safari's gesture events, ctrl +/−/0.
    view.addEventListener("wheel", (event) => event.ctrlKey && event.preventDefault(), { capture: true, passive: false });
    for (const type of ["gesturestart", "gesturechange"]) view.addEventListener(type, (event) => event.preventDefault(), { capture: true });
    view.addEventListener("keydown", (event) => (event.ctrlKey || event.metaKey) && ZOOM_KEYS.has(event.key) && event.preventDefault(), {
      capture: true,
    });
    // Nothing leaves the page: links stay where they are, files are never dropped in.
    view.addEventListener("click", (event) => event.target.closest?.("a[href]") && event.preventDefault(), { capture: true });
    for (const type of ["dragover", "drop"]) view.addEventListener(type, (event) => event.preventDefault(), { capture: true });

    this.wakeLock = null;
    this.keepAwake(body.ownerDocument);
  }

  /** The Screen Wake Lock where the browser has it, taken again whenever the page is shown again. */
  keepAwake(document) {
    const wakeLock = document.defaultView.navigator.wakeLock;
    if (!wakeLock) return; // no API: the kiosk's own power settings decide
    const request = () => {
      if (document.visibilityState !== "visible") return;
      wakeLock.request("screen").then(
        (lock) => {
          this.wakeLock = lock;
          this.body.dataset.wakeLock = "held";
          lock.addEventListener("release", () => delete this.body.dataset.wakeLock, { once: true });
        },
        () => {}, // refused (no user activation yet, power saving): try again on the next show
      );
    };
    document.addEventListener("visibilitychange", request);
    request();
  }

  /** Shown while the attract loop runs: body[data-attract="true"] and the invitation. */
  setAttract(running) {
    if (running) this.body.dataset.attract = "true";
    else delete this.body.dataset.attract;
    this.invite.hidden = !running;
  }

  /** A finished cycle and the GPU's count of buffers, for the long-run check. */
  cycleDone(cycles, memory) {
    this.body.dataset.attractCycles = String(cycles);
    this.body.dataset.gpuMemory = `geometries=${memory.geometries} textures=${memory.textures}`;
  }
}
