#!/usr/bin/env python3
"""Switching the MLP page to the CNN (issue 15): in place (the model switch) against a reload
(what the switch did before: the CNN's address with the drawing in its hash), measured side by
side in one run under one throttling profile.

    python benchmarks/switch_benchmark.py [--profile "school network"] [--repeats 3]

Each try opens the MLP page in a fresh browser context, shows the test digit 3, then switches
and times choice → the first frame of the CNN with its guess (wall clock, polled every frame),
and counts the bytes the server sends after the choice up to that frame: the CNN's export files
and everything else (the page's own files, the MLP's); what the browser takes from its HTTP
cache is not sent. (The probe set is not counted: a fresh page asks for it PROBE_GRACE_MS after
its first guess, and in place the CNN's is the MLP's file, which the page already holds.)"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from page_setting import CHROMIUM, CHROMIUM_ARGS, PROFILES, REPO, CountingServer, throttler
from playwright.sync_api import sync_playwright

CNN = "exports/cnn_weights.json"

# The CNN's first frame with its guess: its layers in the 3D view and the guess from its snapshot.
CNN_SHOWN = """([snapshot]) => document.body.dataset.ready === 'true'
  && [...document.querySelectorAll('#network-labels .layer')][1]?.textContent.startsWith('Conv')
  && document.querySelector('#prediction').dataset.snapshot === snapshot
  && document.querySelector('#prediction').dataset.prediction !== ''"""

SWITCH = {
    "in place": f"""() => {{
        const select = document.querySelector('#model-switch');
        select.value = {CNN!r};
        select.dispatchEvent(new Event('change'));
    }}""",
    # The old switch: location.assign to ?export= with the snapshot id and the drawing in the hash.
    "reload": f"""() => {{
        const shared = new URLSearchParams(location.hash.slice(1));
        const hash = new URLSearchParams({{ snapshot: shared.get('snapshot'), drawing: shared.get('drawing') }});
        location.assign(`${{location.pathname}}?export={CNN}#${{hash}}`);
    }}""",
}


def one_switch(browser, how: str, profile: str, cnn_last: str) -> tuple[float, int, int]:
    """(ms from the choice to the CNN's first frame, CNN export bytes sent meanwhile, other bytes sent)."""
    server = CountingServer(REPO)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = context.new_page()
    throttler(PROFILES[profile])(context.new_cdp_session(page))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=120_000)
    page.click("#digit-3")
    page.wait_for_function("location.hash.includes('drawing=')", timeout=60_000)  # the link has the digit
    page.wait_for_timeout(500)
    mark = len(server.log)
    start = time.perf_counter()
    page.evaluate(SWITCH[how])
    page.wait_for_function(CNN_SHOWN, arg=[cnn_last], polling="raf", timeout=120_000)
    elapsed = (time.perf_counter() - start) * 1e3
    sent = [(path, size) for path, size in server.log[mark:] if "/probe." not in path]
    context.close()
    server.httpd.shutdown()
    cnn = sum(size for path, size in sent if path.startswith("/exports/cnn_weights"))
    return elapsed, cnn, sum(size for _, size in sent) - cnn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=list(PROFILES), default="school network")
    parser.add_argument("--repeats", type=int, default=3, help="switches measured each way (alternating)")
    args = parser.parse_args()
    if args.repeats < 1:
        raise SystemExit("switch_benchmark: --repeats must be at least 1")
    cnn_last = json.loads((REPO / CNN).read_text())["timeline"][-1]["id"]
    runs: dict[str, list[tuple[float, int, int]]] = {how: [] for how in SWITCH}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(args.repeats):
            for how in SWITCH:
                runs[how].append(one_switch(browser, how, args.profile, cnn_last))
        browser.close()
    print(f"== {args.profile}: {PROFILES[args.profile].description}; median of {args.repeats}")
    print(f"{'MLP → CNN, choice → first CNN frame':40} {'time':>10} {'CNN export':>12} {'other bytes':>12}")
    for how, values in runs.items():
        ms, cnn, other = (statistics.median(column) for column in zip(*values, strict=True))
        print(f"{how:40} {ms:>7.0f} ms {cnn / 1e3:>9.0f} kB {other / 1e3:>9.0f} kB")
    print("times of every try:", {how: [round(v[0]) for v in values] for how, values in runs.items()})


if __name__ == "__main__":
    main()
