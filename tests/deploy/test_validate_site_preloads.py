"""deploy.sh's release check covers index.html's export preloader: every file its
#export-preloads map may fetch (the default manifest, each switch export's manifest and
shown snapshot) must be in the release, so a re-export without the map's update fails
the deploy instead of shipping a page that preloads files it cannot have."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

from deploy_site import REPO

spec = importlib.util.spec_from_file_location("validate_site", REPO / "scripts/validate_site.py")
validate_site = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(validate_site)

refs = validate_site.PageRefs()
refs.feed((REPO / "index.html").read_text())
PRELOADS = json.loads(refs.export_preloads[0])
MISSING = "index.html: #export-preloads {} is missing from the release"


def staged_page(root: Path) -> Path:
    """index.html with what it loads: assets, the favicon and the files the preloader names (not whole exports)."""
    for name in ("index.html", "favicon.svg"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "assets", root / "assets")
    for manifest, first in PRELOADS["shown"].items():
        for path in (manifest, first["file"]):
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO / path, root / path)
    return root


def test_the_committed_page_preloads_only_files_of_the_release(tmp_path):
    assert validate_site.page_problems(staged_page(tmp_path)) == []


def test_a_stale_preload_map_fails_the_release_check(tmp_path):
    site = staged_page(tmp_path)
    cnn_snapshot = PRELOADS["shown"]["exports/cnn_weights.json"]["file"]
    (site / cnn_snapshot).unlink()
    assert validate_site.page_problems(site) == [MISSING.format(cnn_snapshot)]


def test_a_malformed_preload_map_is_one_line(tmp_path):
    site = staged_page(tmp_path)
    index = site / "index.html"
    index.write_text(index.read_text().replace('{"default":', '{"fallback":', 1))
    problems = validate_site.page_problems(site)
    assert len(problems) == 1, problems
    assert problems[0].startswith("index.html: #export-preloads is not {default, shown:"), problems
