// The page's fixed words in the language shown: every element of index.html marked
// data-i18n="key" gets t(key) as its text, data-i18n-label as its aria-label,
// data-i18n-title as its title. The #lang menu reloads the page in another
// language (?lang=xx), keeping the view in the hash.
import { LANGUAGES, language, t } from "../i18n/i18n.js";

export function translatePage(root) {
  root.documentElement.lang = language();
  root.title = t("page.title");
  for (const element of root.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll("[data-i18n-label]")) element.setAttribute("aria-label", t(element.dataset.i18nLabel));
  for (const element of root.querySelectorAll("[data-i18n-title]")) element.title = t(element.dataset.i18nTitle);
}

/** Fill the <select id="lang"> with the known languages; choosing one reloads the page in it. */
export function connectLanguageSwitch(select, { location, onChange }) {
  for (const [code, { name }] of Object.entries(LANGUAGES)) {
    const option = select.ownerDocument.createElement("option");
    option.value = code;
    option.lang = code;
    option.textContent = name;
    select.append(option);
  }
  select.value = language();
  select.addEventListener("change", () => {
    const url = new URL(location.href);
    url.searchParams.set("lang", select.value);
    onChange(url.href);
  });
}
