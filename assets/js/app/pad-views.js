// The views of every window that has a pad, the whole page and a ?role=pad window alike:
// the pad, its tools, the 0–9 test digits and the guess.
import { DigitButtons } from "../panels/digit-buttons.js";
import { PadTools } from "../panels/pad-tools.js";
import { PredictionAnnouncer } from "../panels/prediction-announcer.js";
import { ProbabilityBars } from "../panels/probability-bars.js";

export function padViews(document, { app, pad, banner }) {
  const $ = (id) => document.getElementById(id);
  return [
    pad,
    new PadTools({ clear: $("clear"), eraser: $("eraser"), hint: $("pad-hint") }, pad),
    new DigitButtons(document.querySelector(".digit-buttons"), {
      onDigit: (pixels) => app.loadDigit(pixels),
      onError: (error) => banner.show({ key: "error.probe" }, { detail: error }),
    }),
    new ProbabilityBars($("probability-bars"), $("prediction")),
    new PredictionAnnouncer($("prediction-announcement")),
  ];
}
