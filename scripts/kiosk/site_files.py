"""Which files the kiosk server may send: only the site's own (deploy.sh's SITE_ALLOWLIST),
named by a request path that is refused outright when it tries to leave them — dot
segments, encoded slashes or dots, backslashes, NUL bytes, or a symlink out of the root.
The answer never names a path on disk."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What deploy.sh publishes (its SITE_ALLOWLIST; tests/kiosk/test_kiosk_files.py keeps the two equal).
SITE_ENTRIES = ("index.html", "assets", "exports", "favicon.svg", "LICENSE")

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".safetensors": "application/octet-stream",
}


class Refused(Exception):
    """A path that tries to leave the site (403) or names nothing in it (404)."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def site_file(root: Path, raw_path: str) -> Path:
    """The file of the site under `root` that the request path `raw_path` names, or Refused."""
    path = urlsplit(raw_path).path
    if not path.startswith("/") or "\\" in path:
        raise Refused(403)
    segments = path[1:].split("/")
    if segments == [""]:
        segments = ["index.html"]
    decoded = []
    for segment in segments:
        try:
            name = unquote(segment, errors="strict")
        except UnicodeDecodeError:  # not UTF-8 (an overlong "." among them): no site file is named so
            raise Refused(403) from None
        # %2f, %5c, %00 and dot segments (raw or encoded) all try to step out of a folder.
        if name in (".", "..") or any(c in name for c in "/\\\0") or name.startswith("~"):
            raise Refused(403)
        if name == "":
            raise Refused(404)  # an empty segment (//, or a folder's trailing slash): no listings
        decoded.append(name)
    if decoded[0] not in SITE_ENTRIES:
        raise Refused(404)
    real_root = root.resolve()
    target = root.joinpath(*decoded)
    try:
        resolved = target.resolve(strict=True)
    except (OSError, RuntimeError):
        raise Refused(404) from None
    if not resolved.is_relative_to(real_root):
        raise Refused(403)  # a symlink out of the root
    if not resolved.is_file():
        raise Refused(404)
    return resolved


def content_type(path: Path) -> str:
    return TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
