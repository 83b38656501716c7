// The shareable link: the view state (export, snapshot, drawing, camera, selected neuron, tour step)
// lives in the URL hash, rewritten as the person acts — debounced and with replaceState,
// so the back button is not flooded — and restored when a link is opened. "Copy link"
// uses the clipboard API, else selects the link in a read-only field to copy by hand.

import { DEFAULT_EXPORT, exportPathUrl, resolveExportUrl } from "../data/export-loader.js";
import { errorText } from "../i18n/error-words.js";
import { t } from "../i18n/i18n.js";
import { decodeUrlState, encodeUrlState } from "./url-state.js";

const WRITE_DELAY_MS = 400;
/** history.state of the entries this page makes; a link pasted into the tab makes one without it. */
export const PAGE_ENTRY = Object.freeze({ page: "mnist-visualiser" });
const COPIED_MS = 2000;

/**
 * What the page's address asks for: { exportUrl, exportPath, state, notices }.
 * ?export= is the documented parameter and wins; a shared link's #export= is used without
 * it. A bad ?export= throws (the error banner's job); bad hash values only add notices.
 */
export function readLink({ search, hash, href }) {
  const { state, notices } = decodeUrlState(hash);
  const query = new URLSearchParams(search).get("export");
  let exportUrl = resolveExportUrl(search, href);
  let exportPath = query || DEFAULT_EXPORT;
  if (query && state.export && state.export !== query) {
    notices.push(t("link.twoExports", { path: query }));
  } else if (!query && state.export) {
    try {
      exportUrl = exportPathUrl(state.export, href, "#export");
      exportPath = state.export;
    } catch (error) {
      notices.push(t("link.exportRefused", { reason: errorText(error) }));
    }
  }
  return { exportUrl, exportPath, state, notices };
}

export class ShareLink {
  /**
   * @param {{button: HTMLButtonElement, field: HTMLInputElement, status: HTMLElement}} elements
   * @param {() => object} readState the state to share, as encodeUrlState takes it
   */
  constructor({ button, field, status }, readState) {
    this.button = button;
    this.field = field;
    this.status = status;
    this.readState = readState;
    this.timer = 0;
    this.held = false;
    button.addEventListener("click", () => this.copy());
  }

  update(_state, changed) {
    if (["snapshot", "pixels", "focus", "tour"].some((key) => changed.has(key))) this.schedule();
  }

  /**
   * Rewrite the hash soon: the changes of the next WRITE_DELAY_MS (a stroke, an orbit that
   * glides on for seconds) make one write, and a long gesture still updates the link as it goes.
   */
  schedule() {
    if (!this.held) this.timer ||= setTimeout(() => this.write(), WRITE_DELAY_MS);
  }

  /**
   * Held, the link keeps what the visitor last did: the kiosk's attract loop is a demo, and
   * rewriting the address for it every cycle costs the browser a history update and a favicon
   * reload each time (issue 14's long-run test). Released, the link catches up.
   */
  hold(held) {
    this.held = held;
    clearTimeout(this.timer);
    this.timer = 0;
    if (!held) this.schedule();
  }

  write() {
    clearTimeout(this.timer);
    this.timer = 0;
    // A link pasted into the tab is an entry of its own until its hashchange reloads the page:
    // a write due in between would replace the pasted link with the view being left.
    if (history.state?.page !== PAGE_ENTRY.page) return;
    const hash = encodeUrlState(this.readState());
    if (hash === (location.hash || "#")) return;
    history.replaceState(history.state, "", hash === "#" ? location.pathname + location.search : hash);
    if (!this.field.hidden) this.field.value = location.href;
  }

  async copy() {
    this.write();
    const url = location.href;
    try {
      await navigator.clipboard.writeText(url);
      this.field.hidden = true;
      this.say(t("share.copied"));
    } catch {
      // No clipboard (plain http, an old browser, a denied permission): hand the link over selected.
      this.field.value = url;
      this.field.hidden = false;
      this.field.focus();
      this.field.select();
      this.say(t("share.manual"));
    }
  }

  say(message) {
    this.status.textContent = message;
    clearTimeout(this.sayTimer);
    this.sayTimer = setTimeout(() => (this.status.textContent = ""), COPIED_MS * (this.field.hidden ? 1 : 3));
  }
}
