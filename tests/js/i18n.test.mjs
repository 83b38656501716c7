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
