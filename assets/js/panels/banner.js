// The #error banner (role=alert) and the calm #notice (role=status): one specific message
// at a time, as text, with a Retry button when the failed step can be tried again.
export class ErrorBanner {
  /** @param {HTMLButtonElement} [retry] the banner's Retry button (hidden unless a retry is offered) */
  constructor(element, text, dismiss, retry) {
    this.element = element;
    this.text = text;
    this.retryButton = retry;
    this.retry = null;
    dismiss.addEventListener("click", () => this.clear());
    retry?.addEventListener("click", () => {
      const again = this.retry;
      this.clear();
      again?.();
    });
  }

  /** Show `message`; `retry`, when given, is what the Retry button does. */
  show(message, retry = null) {
    this.text.textContent = message;
    this.retry = retry;
    if (this.retryButton) this.retryButton.hidden = !retry;
    this.element.hidden = false;
  }

  clear() {
    this.text.textContent = "";
    this.retry = null;
    if (this.retryButton) this.retryButton.hidden = true;
    this.element.hidden = true;
  }
}
