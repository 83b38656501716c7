// The tools around the pad: Clear (#clear), the Eraser toggle (#eraser) and the hint shown
// while the pad is blank.

export class PadTools {
  /** @param {{clear: HTMLButtonElement, eraser: HTMLButtonElement, hint: HTMLElement}} elements */
  constructor({ clear, eraser, hint }, pad) {
    this.hint = hint;
    clear.addEventListener("click", () => pad.clear());
    eraser.addEventListener("click", () => {
      const on = eraser.getAttribute("aria-pressed") !== "true";
      eraser.setAttribute("aria-pressed", String(on));
      pad.setEraser(on);
    });
  }

  update(state, changed) {
    if (changed.has("pixels")) this.hint.hidden = state.pixels !== null;
  }
}
