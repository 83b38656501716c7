// The pad's relay token (data/pad-transport.js PadSender): kept across reloads through its
// token store, and only ever sent as a header when it has the relay's token form.

import assert from "node:assert/strict";
import { test } from "node:test";
import { PadSender } from "../../assets/js/data/pad-transport.js";

const ROOM = "W3XY7Z";

/** A relay that answers every POST with `token`, recording the token header each one carried. */
function fakeRelay(token) {
  const sent = [];
  const fetchImpl = async (url, init) => {
    assert.equal(url, `relay/${ROOM}`);
    sent.push(init.headers["x-pad-token"]);
    return { ok: true, status: 200, json: async () => ({ token }) };
  };
  return { sent, fetchImpl };
}

function memoryStore(initial) {
  const store = { value: initial, load: () => store.value, save: (token) => (store.value = token) };
  return store;
}

/** Two updates from a pad whose page kept `kept`, to a relay that answers `answered`: the tokens sent, and the one kept after. */
async function twoPosts(kept, answered) {
  const relay = fakeRelay(answered);
  const store = memoryStore(kept);
  const sender = new PadSender({
    room: ROOM,
    session: "s",
    relay: true,
    onStatus: () => {},
    tokenStore: store,
    fetchImpl: relay.fetchImpl,
  });
  for (let post = 0; post < 2; post++) {
    sender.send(null);
    while (sender.inFlight) await new Promise((done) => setTimeout(done, 1));
  }
  sender.close();
  return { sent: relay.sent, kept: store.value };
}

test("a reloaded pad sends the token its page kept, and keeps the relay's new one", async () => {
  assert.deepEqual(await twoPosts("keptToken-42", "newToken_-123"), { sent: ["keptToken-42", "newToken_-123"], kept: "newToken_-123" });
});

test("a stored or answered token that is not the relay's form is never sent as a header", async () => {
  for (const bad of ["line\nbreak", "x".repeat(65), "ünicode", 42, null]) {
    assert.deepEqual(await twoPosts(bad, bad), { sent: ["", ""], kept: "" }, `token ${JSON.stringify(bad)}`);
  }
});
