// The technical detail of an error as nodes for the banner: worded in the page's language
// (i18n/error-words.js), with text that stays English in a <span lang="en">.
import { errorParts } from "../i18n/error-words.js";
import { el } from "./dom.js";

export { hasMessageKey } from "../i18n/error-words.js";

/** `detail` as nodes and strings for append(). */
export const detailNodes = (detail) => errorParts(detail, (text) => el("span", { lang: "en" }, [text]));
