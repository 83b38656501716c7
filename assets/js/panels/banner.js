// The #error banner (role=alert): one specific message at a time, as text.
export class ErrorBanner {
  constructor(element, text, dismiss) {
    this.element = element;
    this.text = text;
    dismiss.addEventListener("click", () => this.clear());
  }

  show(message) {
    this.text.textContent = message;
    this.element.hidden = false;
  }

  clear() {
    this.text.textContent = "";
    this.element.hidden = true;
  }
}
