// #kiosk in the URL state (app/url-state.js): a bare key that round-trips beside the others.
import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeUrlState, encodeUrlState } from "../../assets/js/app/url-state.js";

test("#kiosk round-trips as a bare key, alone and beside other keys", () => {
  assert.equal(encodeUrlState({ kiosk: true }), "#kiosk");
  assert.deepEqual(decodeUrlState("#kiosk"), { state: { kiosk: true }, notices: [] });
  const hash = encodeUrlState({ snapshot: "ep3", lang: "de", kiosk: true });
  assert.equal(hash, "#snapshot=ep3&lang=de&kiosk");
  assert.deepEqual(decodeUrlState(hash), { state: { snapshot: "ep3", lang: "de", kiosk: true }, notices: [] });
  assert.deepEqual(decodeUrlState("#kiosk=1").state, { kiosk: true });
  assert.equal(encodeUrlState({ kiosk: false }), "#");
});

test("a kiosk value that is not bare is ignored with a notice", () => {
  const { state, notices } = decodeUrlState("#kiosk=<script>&snapshot=ep3");
  assert.deepEqual(state, { snapshot: "ep3" });
  assert.equal(notices.length, 1);
  assert.match(notices[0], /kiosk=“<script>” .*bare #kiosk/);
});
