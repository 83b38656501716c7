// The 0–9 buttons (#digit-0 … #digit-9): each loads the next real test digit of its class
// from the export's probe set (downloaded on the first click, shared with the latent map).
import { ProbeDigits } from "../data/probe-digits.js";
import { t } from "../i18n/i18n.js";

export class DigitButtons {
  /**
   * @param {HTMLElement} container filled with ten buttons
   * @param {{onDigit: (pixels: Float32Array) => void, onError: (error: Error) => void}} hooks
   */
  constructor(container, { onDigit, onError }) {
    this.probe = null;
    for (let digit = 0; digit < 10; digit++) {
      const button = container.ownerDocument.createElement("button");
      button.type = "button";
      button.id = `digit-${digit}`;
      button.textContent = String(digit);
      button.setAttribute("aria-label", t("digits.button", { digit }));
      button.addEventListener("click", async () => {
        if (!this.probe) return;
        try {
          onDigit((await this.probe.take(digit)).pixels);
        } catch (error) {
          onError(error);
        }
      });
      container.append(button);
    }
  }

  update(state, changed) {
    if (changed.has("manifest")) this.probe = new ProbeDigits(state.manifest);
  }
}
