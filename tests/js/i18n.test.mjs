import assert from "node:assert/strict";
import { test } from "node:test";
import { LANGUAGES } from "../../assets/js/i18n/i18n.js";

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

test("every language has exactly English's keys, each with the same placeholders and no blank text", () => {
  const english = LANGUAGES.en.strings;
  for (const [code, { name, strings }] of Object.entries(LANGUAGES)) {
    assert.ok(name.length > 0, code);
    assert.deepEqual(Object.keys(strings).sort(), Object.keys(english).sort(), `${code}: the same keys as en.js`);
    for (const [key, text] of Object.entries(strings)) {
      assert.equal(typeof text, "string", `${code} ${key}`);
      assert.ok(text.trim().length > 0, `${code} ${key} is blank`);
      assert.deepEqual(placeholders(text), placeholders(english[key]), `${code} ${key}: placeholders`);
    }
  }
});

test("German is really translated: most texts differ from English", () => {
  const { en } = { en: LANGUAGES.en.strings };
  const de = LANGUAGES.de.strings;
  // Pure formats ("{snapshot}: {numbers}") have no words to translate.
  const words = (text) => /\p{L}{2}/u.test(text.replace(/\{\w+\}/g, ""));
  const same = Object.keys(en).filter((key) => en[key] === de[key] && words(en[key]));
  assert.ok(same.length <= 4, `identical in German: ${same.join(", ")}`);
});

test("the language round-trips through the link; an unknown one is dropped with a notice", async () => {
  const { decodeUrlState, encodeUrlState } = await import("../../assets/js/app/url-state.js");
  const hash = encodeUrlState({ snapshot: "ep3", lang: "de" });
  assert.equal(hash, "#snapshot=ep3&lang=de");
  assert.deepEqual(decodeUrlState(hash), { state: { snapshot: "ep3", lang: "de" }, notices: [] });
  const bad = decodeUrlState("#lang=xx");
  assert.deepEqual(bad.state, {});
  assert.equal(bad.notices[0], "Ignored the language “xx” in the link: this page speaks en, de.");
  assert.deepEqual(decodeUrlState("#lang=__proto__").state, {}, "only the page's own languages");
});
