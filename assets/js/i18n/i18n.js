// The page's words in every language it speaks, and the one function that looks them up.
// Pure: no DOM. main.js picks the language (?lang=de, else the browser's languages, else
// English) and calls setLanguage once, before any view is built; views call t(key, params).
//
// To add a language: copy en.js to xx.js (xx = its ISO 639-1 code), translate every value
// (keep the {placeholders}), and add it to LANGUAGES below. tests/js/i18n.test.mjs checks
// that every language has exactly English's keys and placeholders.
import { de } from "./de.js";
import { en } from "./en.js";

/** code → { name (in its own language), strings }. The first one is the fallback. */
export const LANGUAGES = {
  en: { name: "English", strings: en },
  de: { name: "Deutsch", strings: de },
};

let current = "en";

/**
 * The language to show: `requested` (?lang=) when known, else the first known of the
 * browser's `preferred` languages ("de-AT" counts as "de"), else English.
 */
export function pickLanguage(requested, preferred = []) {
  const known = (code) => {
    const base = String(code ?? "")
      .toLowerCase()
      .split("-")[0];
    return Object.hasOwn(LANGUAGES, base) ? base : null;
  };
  return known(requested) ?? preferred.map(known).find(Boolean) ?? "en";
}

export function setLanguage(code) {
  current = Object.hasOwn(LANGUAGES, code) ? code : "en";
}

export function language() {
  return current;
}

/**
 * The text for `key` in the current language (English when it lacks one; the key itself when
 * nobody has it), with every {name} replaced by params[name].
 */
export function t(key, params = {}) {
  const text = LANGUAGES[current].strings[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

// Formatters are slow to make and views format numbers on every stroke: one per language and style.
const formatters = new Map();
function formatter(style, decimals) {
  const key = `${current} ${style} ${decimals}`;
  if (!formatters.has(key)) {
    formatters.set(key, new Intl.NumberFormat(current, { style, minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
  }
  return formatters.get(key);
}

/** A number written the current language's way: formatNumber(0.5, 2) → "0.50" or "0,50". */
export function formatNumber(value, decimals = 0) {
  return formatter("decimal", decimals).format(value);
}

/** A share 0..1 as a percentage: formatPercent(0.981) → "98.1%" / "98,1 %". */
export function formatPercent(share, decimals = 1) {
  return formatter("percent", decimals).format(share);
}

/** A rank written the current language's way: formatOrdinal(3) → "3rd" / "3.". */
export function formatOrdinal(n) {
  const key = `ordinal.${new Intl.PluralRules(current, { type: "ordinal" }).select(n)}`;
  return t(Object.hasOwn(LANGUAGES[current].strings, key) ? key : "ordinal.other", { n });
}
