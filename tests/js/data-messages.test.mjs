// The technical detail of a broken export in every language: each message key the data layer
// throws (read from the sources of assets/js/data/) has an English template in data/messages.js,
// and every language has it with the same placeholders, worded in its own words.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { DATA_MESSAGES, DataError } from "../../assets/js/data/messages.js";
import { LANGUAGES } from "../../assets/js/i18n/i18n.js";
import { placeholders } from "./worded-errors.mjs";

const DATA = new URL("../../assets/js/data/", import.meta.url);

/** Every "data.…" key written in the data layer's sources outside the template table. */
function thrownKeys() {
  const keys = new Set();
  for (const name of readdirSync(DATA).filter((file) => file.endsWith(".js") && file !== "messages.js")) {
    for (const match of readFileSync(new URL(name, DATA), "utf8").matchAll(/"(data\.\w+)"/g)) keys.add(match[1]);
  }
  return keys;
}

test("every key the data layer throws has its English template, and every template is thrown", () => {
  const thrown = thrownKeys();
  assert.ok(thrown.size >= 100, `${thrown.size} keys`);
  assert.deepEqual(
    [...thrown].filter((key) => !Object.hasOwn(DATA_MESSAGES, key)),
    [],
    "thrown without a template",
  );
  assert.deepEqual(
    Object.keys(DATA_MESSAGES).filter((key) => !thrown.has(key)),
    [],
    "templates nobody throws",
  );
});

test("every language has every data message with English's placeholders, and German words each one its own way", () => {
  for (const [code, { strings }] of Object.entries(LANGUAGES)) {
    for (const [key, english] of Object.entries(DATA_MESSAGES)) {
      assert.equal(typeof strings[key], "string", `${code} lacks ${key}`);
      assert.deepEqual(placeholders(strings[key]), placeholders(english), `${code} ${key}: placeholders`);
    }
  }
  assert.equal(LANGUAGES.en.strings["data.notJson"], DATA_MESSAGES["data.notJson"], "en.js takes the data layer's English");
  // A template copied unchanged would pass the page's German test (its words then count as
  // German): only templates without words ("{path}: {problem}") may read the same.
  const de = LANGUAGES.de.strings;
  const words = (text) => /\p{L}{3}/u.test(text.replace(/\{\w+\}/g, ""));
  const same = Object.keys(DATA_MESSAGES).filter((key) => de[key] === DATA_MESSAGES[key] && words(DATA_MESSAGES[key]));
  assert.deepEqual(same, [], "left in English in de-data.js");
});

test("a DataError keeps key and parameters besides its English message; a nested one is worded inside it", () => {
  const inner = new DataError("data.hashMismatch");
  const error = new DataError("data.inFile", { path: "exports/x/1.safetensors", problem: inner });
  assert.equal(error.message, "exports/x/1.safetensors: sha256 does not match the manifest (corrupt or replaced file)");
  assert.equal(error.key, "data.inFile");
  assert.equal(error.params.problem, inner);
  assert.throws(() => new DataError("data.noSuchKey"), /no data message data\.noSuchKey/);
});
