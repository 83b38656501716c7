// What makes an error of the data layer wordable by the page in every language: it carries a
// key of data/messages.js, its parameters fill every placeholder of that template, the English
// message is exactly that filling, and every error nested in a parameter is wordable in turn
// (or foreign text the page marks lang="en"). Used by the broken-export corpus tests.
import assert from "node:assert/strict";
import { DATA_MESSAGES, englishValue, fillTemplate } from "../../assets/js/data/messages.js";

export const placeholders = (text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();

/** Asserts `error` is worded by key; returns the keys it and its nested errors use. */
export function wordedKeys(error, keys = new Set()) {
  assert.ok(Object.hasOwn(DATA_MESSAGES, error.key), `no message key on: ${error.message}`);
  const template = DATA_MESSAGES[error.key];
  assert.deepEqual(Object.keys(error.params).sort(), placeholders(template), `${error.key}: parameters`);
  assert.equal(error.message, fillTemplate(template, error.params, englishValue), `${error.key}: the English message`);
  keys.add(error.key);
  for (const value of Object.values(error.params)) if (value instanceof Error && value.key) wordedKeys(value, keys);
  return keys;
}
