// The technical detail of an error in the page's language. An error of the data layer carries
// its message key and parameters (data/messages.js): its template comes from the catalogue and
// the parameters go in as they are (field paths, JSON, file names: data), numbers written the
// language's way, nested errors rendered the same way. Text that stays English whatever the
// language (a browser's or a server's own words) goes into a <span lang="en">.
import { englishValue } from "../data/messages.js";
import { formatNumber, language, t } from "../i18n/i18n.js";
import { el } from "./dom.js";

/** Whether `detail` is an error the page can word itself (a key and its parameters). */
export const hasMessageKey = (detail) => typeof detail?.key === "string" && typeof detail.params === "object";

/** `detail` as nodes and strings for append(): a keyed error, a number, foreign text or data. */
export function detailNodes(detail) {
  if (hasMessageKey(detail)) {
    const template = t(detail.key);
    const nodes = [];
    let from = 0;
    for (const match of template.matchAll(/\{(\w+)\}/g)) {
      nodes.push(template.slice(from, match.index));
      nodes.push(...(Object.hasOwn(detail.params, match[1]) ? detailNodes(detail.params[match[1]]) : [match[0]]));
      from = match.index + match[0].length;
    }
    nodes.push(template.slice(from));
    return nodes.filter((node) => node !== "");
  }
  if (typeof detail === "number" || typeof detail?.grouped === "boolean") {
    // English keeps the message's own form, which logs, Node, deploy's check and the tests
    // read; every other language writes the quantity its way (67.108.864).
    return [language() === "en" ? englishValue(detail) : formatNumber(detail.number ?? detail)];
  }
  if (detail instanceof Error) return [el("span", { lang: "en" }, [detail.message])];
  if (typeof detail?.english === "string") return [el("span", { lang: "en" }, [detail.english])];
  return [String(detail)];
}
