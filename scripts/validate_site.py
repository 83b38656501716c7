"""Checks that a staged release of the site can work before deploy.sh publishes it.

    python3 scripts/validate_site.py SITE_FOLDER [--label NAME]

Prints one line per problem (prefixed with NAME) to stderr and exits 1 if
there is any; exits 0 silently otherwise. Standard library only, so deploy.sh
needs nothing but python3.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

DEFAULT_MANIFEST = "exports/mlp_weights.json"
MANIFEST_FORMAT = "mnist-mlp-timeline"
LOADED_LINK_RELS = {"stylesheet", "modulepreload", "preload", "icon"}


@dataclass
class Config:
    site: Path
    label: str


class PageRefs(HTMLParser):
    """The importmap texts of index.html and every URL it loads through <script src> or <link href>."""

    def __init__(self):
        super().__init__()
        self.importmaps: list[str] = []
        self.loads: list[tuple[str, str]] = []
        self._in_importmap = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") == "importmap":
            self._in_importmap = True
            self.importmaps.append("")
        elif tag == "script" and attrs.get("src"):
            self.loads.append(("<script src>", attrs["src"]))
        elif tag == "link" and attrs.get("href") and LOADED_LINK_RELS & set((attrs.get("rel") or "").split()):
            self.loads.append(("<link href>", attrs["href"]))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_importmap = False

    def handle_data(self, data):
        if self._in_importmap:
            self.importmaps[-1] += data


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


def page_problems(site: Path) -> list[str]:
    index = site / "index.html"
    if not index.is_file():
        return ["index.html is missing (the commit has no index.html at its root)"]
    refs = PageRefs()
    refs.feed(index.read_text(encoding="utf-8", errors="replace"))
    problems = [problem for what, url in refs.loads for problem in url_problems(site, what, url)]
    return problems + [problem for text in refs.importmaps for problem in importmap_problems(site, text)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def listed_file_problems(where: str, entry: object, folder: Path) -> list[str]:
    """A file the manifest lists must exist with exactly the listed size and sha256."""
    prefix = f"{DEFAULT_MANIFEST}: {where}"
    if not isinstance(entry, dict) or not all(key in entry for key in ("file", "bytes", "sha256")):
        return [f"{prefix} needs file, bytes and sha256"]
    name = entry["file"]
    relative = PurePosixPath(str(name))
    if relative.is_absolute() or ".." in relative.parts:
        return [f"{prefix} file {name} must stay inside the manifest's folder"]
    path = folder / relative
    if not path.is_file():
        return [f"{prefix} file {name} is missing"]
    size = path.stat().st_size
    if size != entry["bytes"]:
        return [f"{prefix} file {name} has {size} bytes, the manifest says {entry['bytes']}"]
    if sha256_of(path) != entry["sha256"]:
        return [f"{prefix} file {name} does not match the manifest's sha256"]
    return []


def export_problems(site: Path) -> list[str]:
    path = site / DEFAULT_MANIFEST
    if not path.is_file():
        return [f"{DEFAULT_MANIFEST} is missing (the page's default export)"]
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        return [f"{DEFAULT_MANIFEST} is not valid JSON ({error})"]
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        return [f"{DEFAULT_MANIFEST}: format is not {MANIFEST_FORMAT}"]
    problems = []
    timeline = manifest.get("timeline")
    if not isinstance(timeline, list) or not timeline:
        problems.append(f"{DEFAULT_MANIFEST}: timeline must be a non-empty list")
        timeline = []
    entries = [(f"timeline[{i}]", entry) for i, entry in enumerate(timeline)]
    entries += [(key, manifest.get(key)) for key in ("probe", "gallery")]
    return problems + [
        problem for where, entry in entries for problem in listed_file_problems(where, entry, path.parent)
    ]


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
