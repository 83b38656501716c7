#!/usr/bin/env python3
"""Time to the first WebGL frame, this page against the reference page in the same run (issue 15's
goal: ≤ 0.5× the reference's, on the school network).

    python benchmarks/first_frame_benchmark.py --reference-checkout DIR [--reference-page index.html]
        [--profile "school network"|unthrottled|tablet|all] [--runs 3]

DIR is a checkout of the page this project grew from (DFin/Neural-Network-Visualisation; any
static page works). Each run opens both pages cold (a fresh browser context and server each),
alternating this page and the reference, under the profile's network and CPU throttling, and
records when the page makes its first WebGL draw call (page_setting.INIT_SCRIPT wraps WebGL
itself, so it needs nothing from the page) and what the server sent until then. It prints the
medians side by side with the ratio. Requests that fail (a page that loads its scripts from a
CDN, with no network here) are listed: such a page is not measured like for like.

Without --reference-checkout it measures this page alone and prints the reference's figure
measured once, unthrottled (page_report.REFERENCE), which a throttled run cannot be held to."""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from page_report import REFERENCE
from page_setting import CHROMIUM, CHROMIUM_ARGS, INIT_SCRIPT, PROFILES, REPO, CountingServer, throttler
from playwright.sync_api import sync_playwright

GOAL_RATIO = 0.5
TIMEOUT_S = 120


@dataclass
class Config:
    reference: Path | None
    reference_page: str
    profiles: list[str]
    runs: int


@dataclass
class FirstFrame:
    ms: float  # navigation start → first WebGL draw call
    sent: int  # bytes the server sent until then
    requests: int
    failed: list[str]


def first_frame(browser, root: Path, page_path: str, profile: str) -> FirstFrame:
    """Opens `page_path` of `root` cold under `profile`; waits for its first WebGL draw call."""
    server = CountingServer(root)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    throttler(PROFILES[profile])(context.new_cdp_session(page))
    try:
        page.goto(f"{server.url}/{page_path}", wait_until="commit")
        page.wait_for_function("window.__firstDraw !== undefined", timeout=TIMEOUT_S * 1000, polling=10)
        ms = page.evaluate("window.__firstDraw")
        sent, requests = server.bytes_since(0), len(server.log)
    finally:
        context.close()
        server.httpd.shutdown()
    return FirstFrame(ms, sent, requests, failed)


def measure(config: Config, profile: str) -> dict[str, list[FirstFrame]]:
    pages = {"this page": (REPO, "")}
    if config.reference:
        pages["reference"] = (config.reference.resolve(), config.reference_page)
    runs: dict[str, list[FirstFrame]] = {name: [] for name in pages}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(config.runs):  # alternating, so a busy moment of the machine hits both
            for name, (root, page_path) in pages.items():
                runs[name].append(first_frame(browser, root, page_path, profile))
                time.sleep(0.5)
        browser.close()
    return runs


def show(profile: str, runs: dict[str, list[FirstFrame]]) -> None:
    print(f"\n== {profile}: {PROFILES[profile].description} (median of {len(runs['this page'])} cold loads)")
    medians = {name: statistics.median(run.ms for run in frames) for name, frames in runs.items()}
    for name, frames in runs.items():
        sent = statistics.median(run.sent for run in frames) / 1e6
        requests = statistics.median(run.requests for run in frames)
        each = ", ".join(f"{run.ms:,.0f}" for run in frames)
        print(f"{name:10} first WebGL draw {medians[name]:8,.0f} ms  ({each})  {sent:.2f} MB, {requests:.0f} requests")
        failed = sorted({url for run in frames for url in run.failed})
        if failed:
            print(f"{'':10} failed requests (not measured like for like): {', '.join(failed)}")
    if "reference" in medians:
        ratio = medians["this page"] / medians["reference"]
        verdict = "met" if ratio <= GOAL_RATIO else "not met"
        print(f"this page / reference: {ratio:.2f}× (goal ≤ {GOAL_RATIO}×: {verdict})")
    else:
        once = REFERENCE["first WebGL draw"][0]
        print(
            f"no --reference-checkout: the reference's first WebGL draw was measured once, unthrottled, at "
            f"{once:,.0f} ms; this page's {medians['this page']:,.0f} ms is {medians['this page'] / once:.2f}× that "
            "(a throttled run only adds to the reference's time: an upper bound of the ratio)"
        )


def parse_args(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-checkout", type=Path, metavar="DIR", help="a checkout of the reference page")
    parser.add_argument("--reference-page", default="index.html", help="the reference's page inside DIR")
    parser.add_argument("--profile", choices=[*PROFILES, "all"], default="school network")
    parser.add_argument("--runs", type=int, default=3, help="cold loads of each page (default 3)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs {args.runs}: must be at least 1")
    if args.reference_checkout is not None and not (args.reference_checkout / args.reference_page).is_file():
        parser.error(f"--reference-checkout {args.reference_checkout}: no {args.reference_page} there")
    profiles = list(PROFILES) if args.profile == "all" else [args.profile]
    return Config(args.reference_checkout, args.reference_page, profiles, args.runs)


def main() -> None:
    config = parse_args()
    for profile in config.profiles:
        show(profile, measure(config, profile))


if __name__ == "__main__":
    main()
