// An error of the data layer worded in the current language. It carries its message key and
// parameters (data/messages.js): its template comes from the catalogue and the parameters go in
// as they are (field paths, JSON, file names: data), quantities written the language's way,
// nested errors worded the same way. Text that stays English whatever the language (a
// browser's or a server's own words) is handed to `foreign`, so the page can mark it lang="en".
import { englishValue } from "../data/messages.js";
import { formatNumber, language, t } from "./i18n.js";

/** Whether `detail` is an error the page can word itself (a key and its parameters). */
export const hasMessageKey = (detail) => typeof detail?.key === "string" && typeof detail.params === "object";

/** `detail` as a list of strings and whatever `foreign(text)` makes of English-only text. */
export function errorParts(detail, foreign = (text) => text) {
  if (hasMessageKey(detail)) {
    const template = t(detail.key);
    const parts = [];
    let from = 0;
    for (const match of template.matchAll(/\{(\w+)\}/g)) {
      parts.push(template.slice(from, match.index));
      parts.push(...(Object.hasOwn(detail.params, match[1]) ? errorParts(detail.params[match[1]], foreign) : [match[0]]));
      from = match.index + match[0].length;
    }
    parts.push(template.slice(from));
    return parts.filter((part) => part !== "");
  }
  if (typeof detail === "number" || typeof detail?.grouped === "boolean") {
    // English keeps the message's own form, which logs, Node, deploy's check and the tests
    // read; every other language writes the quantity its way (67.108.864).
    return [language() === "en" ? englishValue(detail) : formatNumber(detail.number ?? detail)];
  }
  if (detail instanceof Error) return [foreign(detail.message)];
  if (typeof detail?.english === "string") return [foreign(detail.english)];
  return [String(detail)];
}

/** `detail` worded as one line of text, for a sentence that has no room for marked-up parts. */
export const errorText = (detail) => errorParts(detail).join("");
