// Kiosk mode (README, "Museum kiosk"): ?kiosk or #kiosk in a link; after ?idle=SECONDS
// without input the attract loop (attract.js) draws a real test digit, plays the timeline and
// turns the camera until a visitor touches the page.
import { ProbeDigits } from "../data/probe-digits.js";
import { KioskMode } from "../panels/kiosk-mode.js";
import { AttractLoop, digitStrokes, readAttractOptions } from "./attract.js";
import { decodeUrlState } from "./url-state.js";

/** Whether the page is a kiosk: ?kiosk, or #kiosk in a shared link. */
export const isKiosk = (location) =>
  new URLSearchParams(location.search).has("kiosk") || decodeUrlState(location.hash).state.kiosk === true;

/** Kiosk mode and its attract loop: a real test digit drawn stroke by stroke, the timeline played, the camera turning. */
export function startKiosk(document, location, { app, pad, stage, timeline, share }) {
  const options = readAttractOptions(location.search);
  for (const warning of options.warnings) console.warn(warning);
  let probe = null;
  let digit = 0;
  const lastSnapshot = () => (app.state.manifest?.timeline.length ?? 1) - 1;
  const attract = new AttractLoop(
    options,
    {
      reset: () => {
        app.store?.loadAll(); // the loop plays the whole timeline: have it all at hand (snapshotCapacity)
        app.endTour();
        app.selectNeuron(null);
        timeline.stop();
        app.engageTimeline();
        stage.resetView();
        stage.setAutoRotate(true);
      },
      clearPad: () => pad.clear(),
      nextDigit: async () => {
        const { manifest } = app.state;
        if (!manifest?.probe) return [];
        if (probe?.manifest !== manifest) probe = new ProbeDigits(manifest);
        const { pixels } = await probe.take(digit++ % 10);
        const [rows, columns] = manifest.model.input.shape;
        return digitStrokes(pixels, rows, columns, pad.width, pad.height);
      },
      drawStroke: (stroke) => pad.drawStroke(stroke),
      showSnapshot: (index) => timeline.jump(index),
      snapshotCount: () => app.state.manifest?.timeline.length ?? 0,
      setRunning: (running) => {
        kioskMode.setAttract(running);
        share.hold(running);
        if (running) return;
        stage.setAutoRotate(false);
        timeline.jump(lastSnapshot()); // the visitor draws for the trained network
      },
      cycleDone: (cycles) => kioskMode.cycleDone(cycles, stage.renderer.info.memory),
    },
    { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (id) => clearTimeout(id), requestFrame: (f) => requestAnimationFrame(f) },
  );
  const kioskMode = new KioskMode(
    { body: document.body, viewport: document.querySelector('meta[name="viewport"]'), inviteHost: document.querySelector(".stage") },
    { onInput: () => attract.poke() },
  );
  attract.poke();
}
