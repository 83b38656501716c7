"""Checks that a staged release of the site can work before deploy.sh publishes it.

    python3 scripts/validate_site.py SITE_FOLDER [--label NAME]

Prints one line per problem (prefixed with NAME) to stderr and exits 1 if
there is any; exits 0 silently otherwise. Checks the page itself (index.html,
its import map and the files it loads) and that the release holds no symlinks;
the exports are checked by scripts/check-exports.mjs, which runs the page's own
validation modules under Node, so deploy refuses exactly what the page refuses.
Standard library only, plus `node` for the exports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

EXPORT_CHECKER = Path(__file__).with_name("check-exports.mjs")
LOADED_LINK_RELS = {"stylesheet", "modulepreload", "preload", "icon"}


@dataclass
class Config:
    site: Path
    label: str


class PageRefs(HTMLParser):
    """index.html's import map and #export-preloads texts, and each URL it loads by <script src> or <link href>."""

    def __init__(self):
        super().__init__()
        self.importmaps: list[str] = []
        self.export_preloads: list[str] = []
        self.loads: list[tuple[str, str]] = []
        self._collecting: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "importmap":
            self._collect(self.importmaps)
        elif tag == "script" and attrs.get("type") == "application/json" and attrs.get("id") == "export-preloads":
            self._collect(self.export_preloads)
        elif tag == "script" and attrs.get("src"):
            self.loads.append(("<script src>", attrs["src"]))
        elif tag == "link" and attrs.get("href") and LOADED_LINK_RELS & set((attrs.get("rel") or "").split()):
            self.loads.append(("<link href>", attrs["href"]))

    def _collect(self, texts: list[str]) -> None:
        texts.append("")
        self._collecting = texts

    def handle_endtag(self, tag):
        if tag == "script":
            self._collecting = None

    def handle_data(self, data):
        if self._collecting is not None:
            self._collecting[-1] += data


def url_problems(site: Path, what: str, url: str) -> list[str]:
    """A URL index.html loads must be a file (or, ending in /, a folder) of the release itself."""
    parts = urlsplit(urljoin("/index.html", url))
    if parts.scheme == "data":
        return []
    if parts.scheme or parts.netloc:
        return [f"index.html: {what} {url} is loaded from the network: vendor it under assets/"]
    path = site / unquote(parts.path).lstrip("/")
    exists = path.is_dir() if parts.path.endswith("/") else path.is_file()
    return [] if exists else [f"index.html: {what} {url} is missing from the release"]


def importmap_problems(site: Path, text: str) -> list[str]:
    try:
        importmap = json.loads(text)
        mappings = [("importmap imports", importmap.get("imports", {}))]
        mappings += [(f"importmap scope {scope}", mapping) for scope, mapping in importmap.get("scopes", {}).items()]
        return [
            problem
            for what, mapping in mappings
            for specifier, url in mapping.items()
            for problem in url_problems(site, f"{what} '{specifier}' ->", url)
        ]
    except (ValueError, AttributeError) as error:
        return [f"index.html: the importmap is not a valid JSON import map ({error})"]


def export_preload_problems(site: Path, text: str) -> list[str]:
    """What index.html's preloader may fetch: the default manifest, each switch export's shown snapshot."""
    try:
        preloads = json.loads(text)
        shown = preloads["shown"].items()
        urls = [preloads["default"], *(url for manifest, first in shown for url in (manifest, first["file"]))]
        return [problem for url in urls for problem in url_problems(site, "#export-preloads", str(url))]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        return [f"index.html: #export-preloads is not {{default, shown: {{manifest: {{id, file}}}}}} ({error!r})"]


def page_problems(site: Path) -> list[str]:
    index = site / "index.html"
    if not index.is_file():
        return ["index.html is missing (the commit has no index.html at its root)"]
    refs = PageRefs()
    refs.feed(index.read_text(encoding="utf-8", errors="replace"))
    problems = [problem for what, url in refs.loads for problem in url_problems(site, what, url)]
    problems += [problem for text in refs.importmaps for problem in importmap_problems(site, text)]
    return problems + [problem for text in refs.export_preloads for problem in export_preload_problems(site, text)]


def export_problems(site: Path) -> list[str]:
    """Every export under exports/, checked by the page's own modules (scripts/check-exports.mjs)."""
    node = shutil.which("node")
    if node is None:
        return ["node is not installed: the exports are checked by the page's own modules under Node 20 or newer"]
    if not EXPORT_CHECKER.is_file():
        return [f"{EXPORT_CHECKER} is missing: it checks the exports"]
    result = subprocess.run([node, str(EXPORT_CHECKER), str(site)], capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    problems = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode != 0 and not problems:
        problems = [f"{EXPORT_CHECKER.name} failed with exit status {result.returncode} and no message"]
    return problems


def symlink_problems(site: Path) -> list[str]:
    # A link could point outside the release, which would then no longer be a self-contained backup.
    return [
        f"{os.path.relpath(os.path.join(folder, name), site)} is a symlink: a release must hold real files"
        for folder, dirs, files in os.walk(site)
        for name in dirs + files
        if os.path.islink(os.path.join(folder, name))
    ]


def parse_args(argv: list[str]) -> Config:
    parser = argparse.ArgumentParser(description="Check a staged release of the site before it is published.")
    parser.add_argument("site", type=Path, help="the staged site folder")
    parser.add_argument(
        "--label", default="site", help="prefix of every problem line (deploy.sh passes the commit-ish)"
    )
    args = parser.parse_args(argv)
    return Config(site=args.site, label=args.label)


def main(argv: list[str]) -> int:
    config = parse_args(argv)
    problems = symlink_problems(config.site) + page_problems(config.site) + export_problems(config.site)
    for problem in problems:
        print(f"deploy.sh: {config.label}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
