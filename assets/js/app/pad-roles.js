// The two windows of a drawing pad on another screen or device (README, "Drawing pad on a
// tablet"): ?role=pad makes a window the pad only — pad, Clear, Eraser, the 0–9 digits and
// the guess, with no 3D view (no WebGL: cheap on a phone) — and sends its input after each
// change; ?role=display is the whole page with its drawing taken from the pad. ?room=CODE
// names the pair (the display makes a random one when none is given).

import { loadManifest } from "../data/export-loader.js";
import { isRoomCode, newRoomCode, quantise } from "../data/pad-message.js";
import { hasRelay, PadReceiver, PadSender } from "../data/pad-transport.js";
import { t } from "../i18n/i18n.js";
import { preprocess, rawDownsample } from "../model/preprocess.js";
import { DrawPad } from "../panels/draw-pad.js";
import { PadInvite, PadStatus } from "../panels/pad-invite.js";
import { SettingsPanel } from "../panels/settings-panel.js";
import { App } from "./app.js";
import { padViews } from "./pad-views.js";
import { readLink } from "./share-link.js";

const ROLES = new Set(["pad", "display"]);

/** "pad", "display" or null, from the page's query (?role=). */
export function pageRole(search) {
  const role = new URLSearchParams(search).get("role");
  return ROLES.has(role) ? role : null;
}

/** The room of ?room= when it is a well-formed code, else null. */
export function pageRoom(search) {
  const room = new URLSearchParams(search).get("room");
  return isRoomCode(room) ? room : null;
}

const randomBytes = (bytes) => crypto.getRandomValues(bytes);

/** The relay's token for `room` in this tab's sessionStorage (which a private window may refuse: then none). */
function sessionTokenStore(room) {
  const key = `mnist-pad-token:${room}`;
  return {
    load() {
      try {
        return sessionStorage.getItem(key) ?? "";
      } catch {
        return "";
      }
    },
    save(token) {
      try {
        sessionStorage.setItem(key, token);
      } catch {
        // not kept: a reload waits out the relay's idle time, as without storage
      }
    },
  };
}

function newSession() {
  return Array.from(randomBytes(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Builds the pad window in `document` and starts it. Returns a promise that never settles:
 * main.js awaits it, so the 3D page below it is never built in a pad window.
 */
export function startPadPage(document, location, { banner, notice }) {
  const $ = (id) => document.getElementById(id);
  const room = pageRoom(location.search);
  let scheduled = false;
  const settingsPanel = new SettingsPanel(document, { onChange: (values) => app.changeSettings(values) });
  const app = new App(settingsPanel.read(), {
    requestFrame: () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        pad.render();
        app.flush();
      });
    },
    reportError: (message, detail, retry) => banner.show(message, { detail, retry }),
    // What the pad sends is the input in bytes; the pad's own guess is computed from exactly those.
    readInk: (mode, shape) => {
      const pixels = (mode === "raw" ? rawDownsample : preprocess)(pad.ink, pad.width, pad.height, shape);
      return pixels && Float32Array.from(quantise(pixels), (byte) => byte / 255);
    },
  });
  const pad = new DrawPad($("draw-pad"), { onChange: () => app.inkChanged() });
  const status = new PadStatus(document.querySelector(".pad-panel"), room);
  // Without a room the pad draws for itself: it has no display to find.
  const sender = room
    ? new PadSender({ room, session: newSession(), relay: false, onStatus: (s) => status.show(s), tokenStore: sessionTokenStore(room) })
    : null;
  status.show(room ? "connecting" : "no-room");
  hasRelay().then((relay) => {
    if (!sender) return;
    sender.relay = relay;
    status.show(relay ? "waiting" : "local");
    // A display that opens after the pad's last stroke still gets the picture.
    if (app.state.snapshot) document.body.dataset.padSeq = String(sender.send(app.state.pixels && quantise(app.state.pixels)).seq);
  });
  app.addViews(...padViews(document, { app, pad, banner }), settingsPanel, {
    update(state, changed) {
      if (changed.has("pixels") && sender) {
        document.body.dataset.padSeq = String(sender.send(state.pixels && quantise(state.pixels)).seq);
      }
      if (state.snapshot && document.body.dataset.ready !== "true") document.body.dataset.ready = "true";
    },
  });
  app.mark("settings");
  (async function start() {
    try {
      const link = readLink(location);
      if (link.notices.length) notice.show(link.notices.join(" "));
      const manifest = await loadManifest(link.exportUrl);
      app.openExport(manifest, link.exportPath, manifest.timeline.length - 1);
    } catch (error) {
      banner.show({ key: "error.manifest" }, { detail: error, retry: start });
    }
  })();
  return new Promise(() => {});
}

/**
 * Makes the page a display: its drawing comes from the pad of its room (its own pad takes no
 * input, see roles.css), and it shows how to open that pad. body[data-pad-seq] is, on the
 * display, the seq of the last update whose guess is on show (body[data-pad-received]: the
 * last one that arrived), and on the pad the seq of the last update sent (tests and the
 * latency benchmark compare them).
 */
export function connectDisplay(document, location, { app, pad, notice }) {
  const room = pageRoom(location.search) ?? newRoomCode(randomBytes);
  const invite = new PadInvite(document.querySelector(".column-left"), room, location);
  let shown = null; // the update waiting for its frame
  app.addViews({
    update(_state, changed) {
      if (shown && changed.has("result")) {
        document.body.dataset.padSeq = String(shown.seq);
        shown = null;
      }
    },
  });
  hasRelay().then((relay) => {
    invite.show(relay);
    if (!relay) notice.show(t("role.noRelay"));
    new PadReceiver({
      room,
      relay,
      onStatus: (s) => invite.status(s),
      onUpdate: (update) => {
        document.body.dataset.padReceived = String(update.seq);
        shown = update;
        if (update.pixels) app.loadDigit(update.pixels, "pad-remote");
        else pad.clear();
      },
    });
  });
  return room;
}
