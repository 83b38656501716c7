"""The page under its own Content-Security-Policy (no bypass): only same-origin scripts,
styles, images and connections, no inline script but the hashed import map and export preloader, no eval. The
whole page works under it, and an injected inline script is refused."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from page_helpers import REPO

pytestmark = pytest.mark.browser

# Collects every violation the policy reports, from the first line of the document on.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def policy() -> str:
    html = (REPO / "index.html").read_text()
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
    assert match, "index.html declares a Content-Security-Policy"
    return match.group(1)


def test_the_policy_is_strict_and_admits_exactly_the_import_map_and_the_preloader():
    directives = dict(part.strip().split(" ", 1) for part in policy().split(";"))
    html = (REPO / "index.html").read_text()
    # Every inline script the browser runs (the import map, the export preloader); a JSON data block runs nothing.
    inline = [text for _, text in re.findall(r'<script( type="importmap")?>(.*?)</script>', html, re.S)]
    assert len(inline) == 2, "the import map and the export preloader are the page's only inline scripts"
    digests = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'" for text in inline
    )
    assert directives["script-src"] == f"'self' {digests}", "edit an inline script, update its hash"
    for directive in ("default-src", "style-src", "img-src", "connect-src"):
        assert directives[directive] == "'self'", directive
    assert "unsafe-inline" not in policy() and "unsafe-eval" not in policy()
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert html.index("Content-Security-Policy") < html.index('<script type="importmap">'), "the policy comes first"


def test_the_page_works_under_its_policy_and_refuses_inline_script(browser, serve):
    server = serve(REPO)
    context = browser.new_context(viewport={"width": 1440, "height": 900})  # no bypass_csp: the real policy
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(RECORD_VIOLATIONS)
    try:
        page.goto(f"{server.url}/#neuron=1.5")
        page.wait_for_selector("body[data-ready=true]", timeout=30_000)
        page.click("#digit-3")
        page.wait_for_selector("#prediction[data-prediction='3']", timeout=15_000)
        page.click(".sees .ins-toggle")  # saliency overlay
        page.wait_for_selector(".ins-saliency-overlay[data-class='3']")
        page.wait_for_selector("#neuron-weights[data-neuron='1.5']")
        for tab in ("training", "confusion", "latent"):
            page.click(f".ins-tab[data-tab='{tab}']")
        page.wait_for_selector(".ins-latent-canvas[data-probe='loaded']", timeout=15_000)
        page.focus("#timeline")
        page.keyboard.press("Home")
        page.wait_for_selector("#timeline-bar[data-snapshot='init']", timeout=15_000)  # the untrained snapshot
        assert page.evaluate("window.__violations") == [], "nothing the page does needs more than its policy"

        # An inline script slipped into the page (as an injection would) does not run.
        page.evaluate(
            """() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); }"""
        )
        page.wait_for_timeout(100)
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
        assert errors == []
    finally:
        context.close()
