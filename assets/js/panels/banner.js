// The #error banner (role=alert) and the calm #notice (role=status): one specific message
// at a time, as text, with a Retry button when the failed step can be tried again. An error
// is a sentence in the page's language plus, in its own element (lang="en" in index.html),
// the technical detail: file names, field paths, byte counts, as the loaders word them.
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
    dismiss.addEventListener("click", () => this.clear());
    retry?.addEventListener("click", () => {
      const again = this.retry;
      this.clear();
      again?.();
    });
  }

  /** Show `message` (and its technical `detail`); `retry`, when given, is what the Retry button does. */
  show(message, { detail = "", retry = null } = {}) {
    this.text.textContent = this.detail || !detail ? message : `${message} ${detail}`;
    if (this.detail) {
      this.detail.textContent = detail;
      this.detail.hidden = !detail;
    }
    this.retry = retry;
    if (this.retryButton) this.retryButton.hidden = !retry;
    this.element.hidden = false;
  }

  clear() {
    this.text.textContent = "";
    if (this.detail) this.detail.textContent = "";
    this.retry = null;
    if (this.retryButton) this.retryButton.hidden = true;
    this.element.hidden = true;
  }
}
