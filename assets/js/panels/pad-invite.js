// The pad's link on a display (?role=display): the room code, the pad's address as text
// and as a QR code drawn on a canvas (the vendored qrcode-generator, loaded only here), and
// how the pad reaches this display. And on a pad window (?role=pad), one line saying where
// its drawing goes.
import { t } from "../i18n/i18n.js";
import { el } from "./dom.js";

const QR_MARGIN = 4; // modules of quiet zone, as the QR standard asks
const QR_SCALE = 5; // canvas pixels per module

/** The pad's address for `room`: this page with ?role=pad&room=, keeping its export and language. */
export function padUrl(location, room) {
  const query = new URLSearchParams(location.search);
  const kept = new URLSearchParams({ role: "pad", room });
  for (const name of ["export", "lang"]) if (query.has(name)) kept.set(name, query.get(name));
  return `${location.origin}${location.pathname}?${kept}`;
}

export class PadInvite {
  /** Builds the invitation at the top of `container` (the left column). */
  constructor(container, room, location) {
    this.url = padUrl(location, room);
    this.canvas = el("canvas", { id: "pad-qr", width: "1", height: "1", role: "img", "aria-label": t("role.qrLabel") });
    this.canvas.hidden = true;
    this.link = el("p", { id: "pad-url", class: "pad-url" }, [this.url]);
    this.state = el("p", { id: "pad-link-status", class: "pad-link-status", role: "status" });
    this.section = el(
      "section",
      { id: "pad-invite", class: "panel pad-invite", "data-room": room, "aria-labelledby": "pad-invite-title" },
      [
        el("h2", { id: "pad-invite-title" }, [t("role.inviteTitle")]),
        el("p", { class: "pad-room" }, [t("role.room"), " ", el("strong", { id: "pad-room" }, [room])]),
        this.canvas,
        this.link,
        this.state,
      ],
    );
    container.prepend(this.section);
  }

  /** Once it is known whether the server relays: with a relay the QR code, else how to pair in this browser. */
  async show(relay) {
    this.state.textContent = t(relay ? "role.displayWaiting" : "role.noRelay");
    if (!relay) return;
    const { qrcode } = await import("qrcode-generator");
    const code = qrcode(0, "M");
    code.addData(this.url);
    code.make();
    this.draw(code);
  }

  draw(code) {
    const modules = code.getModuleCount();
    const side = (modules + 2 * QR_MARGIN) * QR_SCALE;
    this.canvas.width = side;
    this.canvas.height = side;
    const context = this.canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, side, side);
    context.fillStyle = "#000";
    for (let row = 0; row < modules; row++) {
      for (let column = 0; column < modules; column++) {
        if (code.isDark(row, column)) context.fillRect((column + QR_MARGIN) * QR_SCALE, (row + QR_MARGIN) * QR_SCALE, QR_SCALE, QR_SCALE);
      }
    }
    this.canvas.dataset.modules = String(modules);
    this.canvas.hidden = false;
  }

  /** The relay's connection: "relay" (connected), "reconnecting" or "local" (lost: this browser only). */
  status(state) {
    this.state.textContent = t(`role.display.${state}`);
  }
}

/** The pad window's line about where its drawing goes (#pad-status). */
export class PadStatus {
  constructor(container, room) {
    this.room = room;
    this.line = el("p", { id: "pad-status", class: "pad-status", role: "status" });
    container.append(this.line);
  }

  /** One of PadSender's statuses, or "connecting" / "waiting" / "no-room". */
  show(status) {
    this.line.dataset.status = status;
    this.line.textContent = t(`role.pad.${status}`, { room: this.room ?? "" });
  }
}
