// How pad updates (data/pad-message.js) travel from a pad window to a display: always on a
// BroadcastChannel named after the room (two windows of one browser, e.g. a touch screen
// and a projector: no server), and through the kiosk server's relay when the page is served
// by scripts/kiosk_server.py (a tablet or phone on the local network): POST relay/ROOM from
// the pad, Server-Sent Events from relay/ROOM/events to the display. The kiosk server marks
// every response with the RELAY_HEADER, so a page under any other static server knows at
// once that there is no relay, without a failing request.
import { encodePadUpdate, PadUpdateReader } from "./pad-message.js";

export const RELAY_HEADER = "x-kiosk-relay";
const TOKEN_HEADER = "x-pad-token";
const RETRY_MS = 250;
// The relay's tokens (secrets.token_urlsafe): anything else is not sent as a header, whose
// invalid characters would make every fetch throw.
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;
const NO_TOKEN_STORE = { load: () => "", save: () => {} };

const channelName = (room) => `mnist-pad:${room}`;

/** Whether the page's own server relays pad updates (one HEAD request for the page's folder). */
export async function hasRelay(fetchImpl = fetch) {
  try {
    const response = await fetchImpl(".", { method: "HEAD", cache: "no-store" });
    return response.headers.get(RELAY_HEADER) === "1";
  } catch {
    return false;
  }
}

/**
 * The pad's side. send() is called once per frame at most (the app's frame); over the relay
 * one request is in flight at a time and only the newest update waits behind it, so a slow
 * network drops intermediate drawings instead of queueing them.
 * onStatus(status): "relay" (the display's server takes our updates), "local" (no relay:
 * this browser's windows only), "busy" (another pad draws in this room), "no-display"
 * (no display has this room open), "slow" (rate-limited: retrying).
 * tokenStore ({ load(), save(token) }) keeps the relay's token across reloads of the pad's
 * page, so a reloaded pad is still the room's pad instead of "busy" until its old self times out.
 */
export class PadSender {
  constructor({
    room,
    session,
    relay,
    onStatus,
    tokenStore = NO_TOKEN_STORE,
    fetchImpl = fetch,
    now = () => performance.timeOrigin + performance.now(),
  }) {
    this.room = room;
    this.session = session;
    this.relay = relay;
    this.onStatus = onStatus;
    this.fetch = (url, init) => fetchImpl(url, init); // fetch called as a method of another object throws
    this.now = now;
    this.seq = 0;
    this.channel = new BroadcastChannel(channelName(room));
    this.tokenStore = tokenStore;
    this.token = validToken(tokenStore.load());
    this.inFlight = false;
    this.waiting = null; // the newest update not yet posted to the relay
  }

  /** Send the pad's picture (bytes from quantise, or null when blank). */
  send(bytes) {
    this.seq += 1;
    const update = encodePadUpdate({ room: this.room, session: this.session, seq: this.seq, bytes, sentAt: this.now() });
    this.channel.postMessage(update);
    if (!this.relay) return update;
    this.waiting = update;
    if (!this.inFlight) this.post();
    return update;
  }

  async post() {
    const update = this.waiting;
    this.waiting = null;
    this.inFlight = true;
    let retry = false;
    try {
      const response = await this.fetch(`relay/${this.room}`, {
        method: "POST",
        headers: { "content-type": "application/json", [TOKEN_HEADER]: this.token },
        body: JSON.stringify(update),
      });
      if (response.ok) {
        this.token = validToken((await response.json()).token);
        this.tokenStore.save(this.token);
        this.onStatus("relay");
      } else if (response.status === 409) this.onStatus("busy");
      else if (response.status === 404) this.onStatus("no-display");
      else if (response.status === 429) {
        this.onStatus("slow");
        retry = true;
      }
    } catch {
      retry = true; // the network blinked: the newest picture goes again shortly
    }
    if (retry && !this.waiting) this.waiting = update;
    setTimeout(
      () => {
        this.inFlight = false;
        if (this.waiting) this.post();
      },
      retry ? RETRY_MS : 0,
    );
  }

  close() {
    this.channel.close();
  }
}

function validToken(token) {
  return typeof token === "string" && TOKEN.test(token) ? token : "";
}

/**
 * The display's side: listens on the room's BroadcastChannel and, when there is a relay,
 * on its event stream; every message goes through one PadUpdateReader, so an update that
 * arrives twice is shown once. onUpdate gets each accepted update ({session, seq, sentAt, pixels}).
 */
export class PadReceiver {
  constructor({ room, relay, onUpdate, onStatus = () => {} }) {
    this.reader = new PadUpdateReader(room);
    const take = (message) => {
      const update = this.reader.read(message);
      if (update) onUpdate(update);
    };
    this.channel = new BroadcastChannel(channelName(room));
    this.channel.onmessage = (event) => take(event.data);
    this.events = null;
    if (relay) {
      this.events = new EventSource(`relay/${room}/events`);
      this.events.onmessage = (event) => take(event.data);
      this.events.onopen = () => onStatus("relay");
      // EventSource reconnects by itself after a dropped connection; a refused one (a full
      // server) stays closed and the BroadcastChannel is all that is left.
      this.events.onerror = () => onStatus(this.events.readyState === EventSource.CLOSED ? "local" : "reconnecting");
    }
  }

  close() {
    this.channel.close();
    this.events?.close();
  }
}
