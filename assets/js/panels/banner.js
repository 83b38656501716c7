// The #error banner (role=alert) and the calm #notice (role=status): one specific message
// at a time, as text, with a Retry button when the failed step can be tried again. An error
// is a sentence in the page's language plus, in its own element, the technical detail: file
// names, field paths, byte counts. A detail from the data layer is worded in the page's
// language (error-detail.js); any other (an exception's own text) is marked lang="en". The
// banner keeps what it shows as keys and parameters, so refresh() words it anew after a
// language switch.
import { t } from "../i18n/i18n.js";
import { detailNodes, hasMessageKey } from "./error-detail.js";

export class ErrorBanner {
  /**
   * @param {HTMLElement} text the sentence
   * @param {HTMLButtonElement} [retry] the banner's Retry button (hidden unless a retry is offered)
   * @param {HTMLElement} [detail] the technical detail (else it follows the sentence)
   */
  constructor(element, text, dismiss, retry, detail) {
    this.element = element;
    this.text = text;
    this.detail = detail;
    this.retryButton = retry;
    this.retry = null;
    this.shown = null;
    dismiss.addEventListener("click", () => this.clear());
    retry?.addEventListener("click", () => {
      const again = this.retry;
      this.clear();
      again?.();
    });
  }

  /**
   * Show `message` (text, or {key, params} of the catalogue) and its technical `detail` (an
   * Error, ideally the data layer's, or text); `retry`, when given, is what the Retry button does.
   */
  show(message, { detail = "", retry = null } = {}) {
    this.shown = { message, detail };
    this.refresh();
    this.retry = retry;
    if (this.retryButton) this.retryButton.hidden = !retry;
    this.element.hidden = false;
  }

  /** Word what is shown in the current language again. */
  refresh() {
    if (!this.shown) return;
    const { message, detail } = this.shown;
    const sentence = typeof message === "string" ? message : t(message.key, message.params);
    const worded = hasMessageKey(detail);
    const nodes = worded ? detailNodes(detail) : detail ? [detail instanceof Error ? detail.message : String(detail)] : [];
    this.text.textContent = sentence;
    if (!this.detail) {
      if (nodes.length) this.text.append(" ", ...nodes);
      return;
    }
    this.detail.replaceChildren(...nodes);
    this.detail.normalize(); // one text node per run of words, for screen readers and the German test
    // Worded by the page: the page's language; anything else is English as it came.
    if (worded) this.detail.removeAttribute("lang");
    else this.detail.setAttribute("lang", "en");
    this.detail.hidden = nodes.length === 0;
  }

  clear() {
    this.shown = null;
    this.text.textContent = "";
    if (this.detail) this.detail.replaceChildren();
    this.retry = null;
    if (this.retryButton) this.retryButton.hidden = true;
    this.element.hidden = true;
  }
}
