"""The page in German (?lang=de), for the MLP and the CNN export and with a broken export:
every visible text node and every accessible name (aria-label, title, placeholder, alt) is
compared with the message catalogues (assets/js/i18n/). None may be an English catalogue
string that German words differently, nor hold an English word that German never uses
(English without a catalogue entry: a string someone forgot). Data is allowed: digits,
numbers, units, file names. What is marked lang="en" (the language menu's "English", a
browser's or server's own words inside an error's detail) is English on purpose and
skipped; the broken exports' technical details themselves are checked, then shown in
English after a switch of #lang. Words drawn on canvases
(the curves' axes and legend) are recorded as they are drawn and checked the same way, and
the latent map's tooltip is opened. Also: the language survives a shared link (#lang=de)."""

from __future__ import annotations

import json

import pytest
from insights_helpers import coloured_dot, show_tab, visible_box
from page_helpers import REPO, copy_site, manifest, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

# Before the page's scripts: every string drawn on a 2D canvas is kept, so the words of the
# curves' axes and legends are checked like the DOM's.
RECORD_CANVAS_TEXT = """
window.__canvasTexts = new Set();
for (const method of ['fillText', 'strokeText']) {
  const draw = CanvasRenderingContext2D.prototype[method];
  CanvasRenderingContext2D.prototype[method] = function (text, ...rest) {
    window.__canvasTexts.add(String(text));
    return draw.call(this, text, ...rest);
  };
}
"""

# Runs in the page: the catalogues from the page's own module, then every visible text node
# and accessible name that is English. Returns ["where: text (why)", …].
FIND_ENGLISH = """
async () => {
  const { LANGUAGES } = await import('./assets/js/i18n/i18n.js');
  const en = LANGUAGES.en.strings, de = LANGUAGES.de.strings;
  const words = (text) => text.replace(/\\{\\w+\\}/g, ' ').toLowerCase().match(/\\p{L}{2,}/gu) ?? [];
  const germanWords = new Set(Object.values(de).flatMap(words));
  // Words only English uses: any of them in German text is a string left untranslated.
  const englishOnly = new Set(Object.values(en).flatMap(words).filter((word) => !germanWords.has(word)));
  const pattern = (text) =>
    new RegExp('^' + text.replace(/[.*+?^$()|[\\]\\\\]/g, '\\\\$&').replace(/\\{\\w+\\}/g, '.+?') + '$', 's');
  // Strings with words in them: "{n}rd" (an ordinal's ending) would match anything.
  const englishStrings = Object.keys(en).filter((key) => en[key] !== de[key] && words(en[key]).join('').length > 3)
    .map((key) => [key, pattern(en[key].trim())]);
  // Data, not words: file names and paths, numbers with units.
  const data = (text) => text.replace(/\\S*[\\/.]\\S*\\.(json|safetensors)\\b/g, ' ').replace(/\\S+\\/\\S+/g, ' ');
  const problems = [];
  const check = (where, text) => {
    const clean = text.replace(/\\s+/g, ' ').trim();
    if (!clean) return;
    const key = englishStrings.find(([, re]) => re.test(clean))?.[0];
    if (key) { problems.push(`${where}: ${clean} (the English of ${key})`); return; }
    const stray = words(data(clean)).filter((word) => englishOnly.has(word));
    if (stray.length) problems.push(`${where}: ${clean} (English words: ${stray.join(', ')})`);
  };
  const english = (element) => element.closest('[lang]')?.getAttribute('lang') === 'en';
  const name = (element) => element.id ? '#' + element.id : element.tagName.toLowerCase() + (element.className ? '.' + String(element.className).split(' ')[0] : '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || english(parent) || ['SCRIPT', 'STYLE'].includes(parent.tagName)) continue;
    if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: false })) continue;
    check(name(parent), node.textContent);
  }
  for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-valuetext]')) {
    if (english(element)) continue;
    for (const attribute of ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext']) {
      if (element.hasAttribute(attribute)) check(`${name(element)}[${attribute}]`, element.getAttribute(attribute));
    }
  }
  check('document.title', document.title);
  for (const text of window.__canvasTexts ?? []) check('canvas', text);
  return problems;
}
"""


def english_on(page) -> list[str]:
    return page.evaluate(FIND_ENGLISH)


def collect_everywhere(page) -> list[str]:
    """The page with a drawing, each insight tab in turn (a confusion cell with mistakes
    open), a neuron hovered over, the tour's first step."""
    problems = set(english_on(page))
    for tab in ("Training", "Verwechslungen", "Latente Karte"):
        show_tab(page, tab)
        problems.update(english_on(page))
    box, dot = visible_box(page, ".ins-latent-canvas"), coloured_dot(page)
    page.mouse.move(box["x"] + dot["x"], box["y"] + dot["y"])
    page.wait_for_selector(".ins-tooltip:not([hidden])")
    problems.update(english_on(page))
    show_tab(page, "Verwechslungen")
    page.focus(".ins-confusion-canvas")
    page.keyboard.press("ArrowDown")  # true 1, answered 0: off the diagonal
    page.keyboard.press("Enter")
    page.wait_for_selector(".ins-mistakes:not([hidden])")
    page.wait_for_timeout(500)  # the gallery loads
    problems.update(english_on(page))
    page.click("#tour-start")
    page.wait_for_selector("#tour:not([hidden])")
    problems.update(english_on(page))
    page.keyboard.press("Escape")
    return sorted(problems)


def test_the_mlp_page_in_german_has_no_english_left(page, serve):
    server = serve(REPO)
    page.add_init_script(RECORD_CANVAS_TEXT)
    open_page(page, server.url + "/?lang=de")
    assert english_on(page) == [], "before any drawing"
    page.click("#digit-4")
    wait_for_prediction(page)
    assert collect_everywhere(page) == []
    assert page.inner_text("#timeline-accuracy").endswith(" %") and "," in page.inner_text("#timeline-accuracy")
    assert page.errors == []


def test_the_cnn_page_in_german_has_no_english_left(page, serve):
    server = serve(REPO)
    page.add_init_script(RECORD_CANVAS_TEXT)
    open_page(page, server.url + "/?lang=de&export=exports/cnn_weights.json")
    page.click("#digit-7")
    wait_for_prediction(page)
    assert collect_everywhere(page) == []
    assert "Faltung" in page.text_content("#network-labels")
    assert page.errors == []


def broken_manifest(site, kind: str) -> str:
    """exports/x.json broken one way; returns the start of the English detail it gets."""
    data = manifest()
    last = data["timeline"][-1]
    if kind == "not JSON":
        (site / "exports" / "x.json").write_text('{"format": "mnist-mlp-timeline", ')
        return "exports/x.json: not valid JSON ("
    if kind == "bad field":
        data["timeline"][3]["metrics"]["test_loss"] = -1
        expected = "exports/x.json: timeline[3].metrics.test_loss must be a non-negative number, got -1"
    elif kind == "hash mismatch":
        last["sha256"] = "0" * 64
        expected = f"exports/{last['file']}: sha256 does not match the manifest (corrupt or replaced file)"
    else:  # a snapshot file that is not there
        last["file"] = "mlp_weights/gone.safetensors"
        expected = "exports/mlp_weights/gone.safetensors: could not be loaded (HTTP 404"
    (site / "exports" / "x.json").write_text(json.dumps(data))
    return expected


# The words of the German detail each case must show (its template, not the English one).
GERMAN_DETAIL = {
    "not JSON": "exports/x.json: kein gültiges JSON (",
    "bad field": "exports/x.json: timeline[3].metrics.test_loss muss eine Zahl ab 0 sein, ist aber -1",
    "hash mismatch": "sha256 stimmt nicht mit dem Manifest überein (beschädigte oder ausgetauschte Datei)",
    "missing snapshot": "exports/mlp_weights/gone.safetensors: konnte nicht geladen werden (HTTP-Status 404",
}
LEADS = {
    "de": ("Der Export konnte nicht geöffnet werden. Die Einzelheiten:", "Dieser Stand des Trainings"),
    "en": ("The export could not be opened. The details:", "This point of the training could not be loaded"),
}


@pytest.mark.parametrize("kind", list(GERMAN_DETAIL))
def test_a_broken_export_is_reported_in_german_and_in_english_after_the_switch(page, serve, tmp_path, kind):
    site = copy_site(tmp_path)
    english = broken_manifest(site, kind)
    server = serve(site)
    open_page(page, server.url + "/?lang=de&export=exports/x.json", ready=False)
    page.wait_for_selector("#error:not([hidden])")
    lead = page.inner_text("#error-lead")
    assert lead.startswith(LEADS["de"][kind in ("hash mismatch", "missing snapshot")]), lead
    assert page.get_attribute("#error-text", "lang") is None, "a German detail is not marked as English"
    assert english_on(page) == []
    assert GERMAN_DETAIL[kind] in page.inner_text("#error-text")
    page.select_option("#lang", "en")  # reloads the page in English: the same error, worded in English
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error-lead").startswith(LEADS["en"][kind in ("hash mismatch", "missing snapshot")])
    assert page.inner_text("#error-text").startswith(english)


# Runs in the page: a banner of its own showing a data error with a browser's words nested in it,
# worded in German, then again after the language changes in place.
REWORD_BANNER = """
async () => {
  const { ErrorBanner } = await import('./assets/js/panels/banner.js');
  const { DataError } = await import('./assets/js/data/messages.js');
  const { setLanguage } = await import('./assets/js/i18n/i18n.js');
  const [box, lead, dismiss, detail] = ['div', 'p', 'button', 'p'].map((tag) => document.createElement(tag));
  box.append(lead, detail, dismiss);
  document.body.append(box);
  const banner = new ErrorBanner(box, lead, dismiss, undefined, detail);
  let parseError;
  try { JSON.parse('{'); } catch (error) { parseError = error; }
  const tooLarge = new DataError('data.tooLarge', { bytes: 70000000, limit: 67108864 });
  const error = new DataError('data.inFile', { path: 'exports/x.json', problem: new DataError('data.notJson', { problem: parseError }) });
  const seen = [];
  const look = () => seen.push({ lead: lead.textContent, detail: detail.textContent, lang: detail.getAttribute('lang'),
    english: [...detail.querySelectorAll('[lang=en]')].map((span) => span.textContent) });
  setLanguage('de');
  banner.show({ key: 'error.manifest' }, { detail: error });
  look();
  setLanguage('en');
  banner.refresh();
  look();
  setLanguage('de');
  banner.show({ key: 'error.manifest' }, { detail: tooLarge });
  look();
  banner.show({ key: 'error.manifest' }, { detail: 'unworded text' });
  look();
  box.remove();
  return { seen, message: error.message, parse: parseError.message };
}
"""


def test_the_banner_rewords_its_error_when_the_language_changes(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?lang=de")
    result = page.evaluate(REWORD_BANNER)
    german, english, sizes, unworded = result["seen"]
    assert german == {
        "lead": "Der Export konnte nicht geöffnet werden. Die Einzelheiten:",
        "detail": f"exports/x.json: kein gültiges JSON ({result['parse']})",
        "lang": None,
        "english": [result["parse"]],
    }
    assert english["lead"] == "The export could not be opened. The details:"
    assert english["detail"] == result["message"], "English words it exactly as the message"
    assert english["lang"] is None and english["english"] == [result["parse"]]
    assert (
        sizes["detail"] == "70.000.000 Bytes oder mehr, größer als die 67.108.864 Bytes, die diese Seite dafür annimmt"
    )
    assert unworded == {"lead": german["lead"], "detail": "unworded text", "lang": "en", "english": []}


def test_a_broken_probe_file_is_worded_in_german(page, serve, tmp_path):
    site = copy_site(tmp_path)
    data = manifest()
    data["probe"]["sha256"] = "0" * 64  # the real file, but not what the manifest lists
    (site / "exports" / "x.json").write_text(json.dumps(data))
    server = serve(site)
    open_page(page, server.url + "/?lang=de&export=exports/x.json")
    page.click("#digit-4")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error-text") == (
        f"exports/{data['probe']['file']}: "
        "sha256 stimmt nicht mit dem Manifest überein (beschädigte oder ausgetauschte Datei)"
    )
    assert english_on(page) == []
    # The latent map needs the same file for the digits it places: its status says why not, in German.
    box = page.locator("#draw-pad").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.8, steps=8)
    page.mouse.up()
    show_tab(page, "Latente Karte")
    page.wait_for_function("document.querySelector('.ins-status').textContent.includes('stimmt nicht')")
    assert english_on(page) == []


def test_a_notice_about_a_link_is_german(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?lang=de#snapshot=nope!&neuron=x", ready=True)
    assert page.is_visible("#notice")
    assert "im Link wurde übergangen" in page.inner_text("#notice-text")
    assert english_on(page) == []


def test_the_language_travels_in_a_shared_link(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?lang=de")
    page.click("#digit-2")
    wait_for_prediction(page)
    page.wait_for_function("/[#&]lang=de(&|$)/.test(location.hash) && location.hash.includes('drawing=')")
    shared = page.evaluate("location.hash")
    open_page(page, server.url + "/" + shared)  # no ?lang=: the link's #lang=de
    assert page.get_attribute("html", "lang") == "de"
    assert page.input_value("#lang") == "de"
    assert wait_for_prediction(page) == "2"
    open_page(page, server.url + "/?lang=en" + shared)  # ?lang= wins over the link
    assert page.get_attribute("html", "lang") == "en"
    page.wait_for_function("/[#&]lang=en(&|$)/.test(location.hash)")
    assert page.errors == []
