"""Broken and hostile inputs in the real page (Chromium, a real server on 127.0.0.1):
a sample of the broken-export corpus (tests/js/broken-exports.mjs) each shows its specific
error naming file and field while the last good state keeps predicting, and 300+ hostile
links cause no page error, no request off the origin and no injected element."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from insights_helpers import show_tab, visible_box
from page_helpers import REPO, copy_site, manifest, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

NOT_FOUND_LOG = "Failed to load resource"  # Chromium logs every 404 (and refused load) as a console error
SAMPLE = {"manifest": 20, "snapshot": 6, "probe": 3, "gallery": 3}  # cases per stage shown in the browser


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> tuple[Path, list[dict]]:
    site = copy_site(tmp_path_factory.mktemp("corpus"))
    out = subprocess.run(
        ["node", str(REPO / "tests" / "js" / "broken-exports.mjs"), str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    return site, json.loads(out.stdout)


def sample(index: list[dict]) -> list[dict]:
    """An even spread of each stage's cases (node --test runs them all)."""
    chosen = []
    for stage, count in SAMPLE.items():
        cases = [case for case in index if case["stage"] == stage]
        chosen += cases[:: max(1, len(cases) // count)][:count]
    return chosen


def real_errors(page) -> list[str]:
    return [error for error in page.errors if NOT_FOUND_LOG not in error]


def test_a_sample_of_the_broken_export_corpus_in_the_browser(page, serve, corpus_site):
    site, index = corpus_site
    cases = sample(index)
    assert len(cases) >= 30
    server = serve(site)
    failures = []
    for case in cases:
        page.errors.clear()
        expect = re.compile(case["expect"])
        if case["stage"] == "manifest":
            open_page(page, f"{server.url}/?export={case['manifest']}", ready=False)
            page.wait_for_selector("#error:not([hidden])")
            message = page.inner_text("#error-text")
            named = message.startswith(case["manifest"] + ": ")
        else:
            open_page(page, f"{server.url}/?export={case['manifest']}")
            if case["stage"] == "snapshot":
                page.click("#digit-6")  # the probe is fine here
                wait_for_prediction(page)
                page.focus("#timeline")
                page.keyboard.press("Home")  # the broken snapshot is the untrained one
            elif case["stage"] == "probe":
                page.click("#digit-6")
            else:
                show_tab(page, "Confusion")
                box = visible_box(page, ".ins-confusion-canvas")
                cell = (box["width"] - 22) / 10
                mistake = manifest()["timeline"][-1]["metrics"]["mistakes"][0]  # its cell lists mistakes
                page.mouse.click(
                    box["x"] + 22 + cell * (mistake["predicted"] + 0.5), box["y"] + 22 + cell * (mistake["label"] + 0.5)
                )
            if case["stage"] == "gallery":
                page.wait_for_function(
                    "document.querySelector('.ins-mistakes .ins-note').textContent.includes('Could not')"
                )
                message = page.inner_text(".ins-mistakes .ins-note")
            else:
                page.wait_for_selector("#error:not([hidden])")
                message = page.inner_text("#error-text")
            named = "exports/broken-" in message
        still_predicts = True
        if case["stage"] == "snapshot":
            still_predicts = page.get_attribute("#prediction", "data-prediction") == "6"
        if not (expect.search(message) and named and still_predicts and real_errors(page) == []):
            failures.append(f"{case['name']}: {message!r} errors={real_errors(page)} predicts={still_predicts}")
    assert failures == []


def hostile_links() -> list[tuple[str, int]]:
    """Links an attacker or a mangled copy-paste could produce, as (address, hostile values in it):
    each payload as ?export=, as #export=, and in every other key of one hash at once."""
    payloads = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)//.json",
        "data:application/json,{}",
        "https://evil.example/x.json",
        "http://evil.example/x.json",
        "//evil.example/x.json",
        "/\\evil.example/x.json",
        "\\\\evil.example\\x.json",
        "/etc/passwd",
        "../../../../etc/passwd",
        "..%2f..%2f..%2fetc%2fpasswd.json",
        "%2e%2e/%2e%2e/x.json",
        "%25zz.json",
        "%23x.json",
        "%3Fx.json",
        "%00.json",
        "exports/mlp_weights.json%00.html",
        "<img src=x onerror=alert(1)>.json",
        '"><script>alert(1)</script>.json',
        "'><svg/onload=alert(1)>",
        "exports/mlp_weights.json#<script>",
        "exports/\u202emlp.json",
        "exports/💥.json",
        "x" * 5000 + ".json",
        "",
        " ",
        "exports/",
        "exports/mlp_weights",
        "blob:http://127.0.0.1/x",
        "file:///etc/passwd",
        "ftp://evil.example/x.json",
        "mailto:a@b.c",
        "exports/mlp_weights.json?x=1",
        "http:/evil.example/x.json",
        "\t//evil.example/x.json",
        "\n/x.json",
        "exports/../exports/mlp_weights.json",
        "./exports/mlp_weights.json",
        "%2F%2Fevil.example%2Fx.json",
        "__proto__",
        "constructor",
        "toString",
        "NaN",
        "1e309",
        "-1",
        "null",
        "undefined",
        "[]",
        "{}",
        "&&&",
        "===",
        "%",
        "%%%%",
        "%E0%A4%A",
        "\udcff",
        "a=b=c",
        "8" + "A" * 2000,
        "4" + "/" * 50,
        "8AAAA",
        "4____",
        "8" + "-" * 1100,
        "9AAAA",
        "1.2.3",
        "1e400,0,0,0,0,0",
        "NaN,0,0,0,0,0",
        "0,0,0,0,0,0,0",
        "99999,0,0,0,0,0",
    ]
    links = []
    for payload in payloads:
        escaped = _escape(payload)
        links.append((f"?export={escaped}", 1))
        links.append((f"#export={escaped}", 1))
        links.append(
            (f"#snapshot={escaped}&drawing={escaped}&camera={escaped}&neuron={escaped}&{escaped}={escaped}", 5)
        )
    return links


def _escape(text: str) -> str:
    """Percent-escape what would break the address itself, keep the rest as an attacker sends it."""
    return "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-._~:/?@!$'()*+,;=%<>\"[]{}|\\^`") else _percent(ch)
        for ch in text
    )


def _percent(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))


def test_hostile_links_cause_no_error_no_foreign_request_and_no_injection(page, serve):
    server = serve(REPO)
    origin = server.url
    off_origin = []
    page.on(
        "request",
        lambda request: None if request.url.startswith((origin, "about:")) else off_origin.append(request.url),
    )
    page.add_init_script(
        "for (const name of ['alert', 'confirm', 'prompt']) window[name] = () => { window.__alerted = (window.__alerted ?? 0) + 1; };"
    )
    links = hostile_links()
    assert sum(count for _, count in links) >= 300
    baseline = None
    problems = []
    for value, count in links:
        page.goto("about:blank")  # a fresh document each time: a hash alone would not navigate
        page.errors.clear()
        page.goto(f"{origin}/{value}")
        # The many-key links wait for the snapshot too: their drawing then meets the network.
        shown = "body[data-ready=true]" if count > 1 else "#export-name:not(:empty)"
        page.wait_for_selector(f"#error:not([hidden]), {shown}", timeout=30_000)
        counts = page.evaluate(
            """() => ({
              scripts: document.scripts.length,
              elements: document.querySelectorAll('img, iframe, object, embed, svg, [onerror], [onload]').length,
              alerts: window.__alerted ?? 0,
            })"""
        )
        baseline = baseline or counts
        if real_errors(page) or counts != baseline:
            problems.append(f"{value[:80]!r}: errors={page.errors} counts={counts}")
    assert off_origin == []
    assert problems == []
