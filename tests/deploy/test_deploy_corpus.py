"""The broken-export corpus (tests/js/broken-exports.mjs, the same cases the page's own
validators refuse under node --test) through deploy's export check: every case is refused,
with its problem, and the intact default export beside them passes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_every_broken_export_of_the_corpus_is_refused_by_the_deploy_check(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(REPO / "index.html", site / "index.html")
    shutil.copytree(REPO / "assets", site / "assets")
    shutil.copytree(REPO / "exports", site / "exports")
    written = subprocess.run(
        ["node", str(REPO / "tests/js/broken-exports.mjs"), str(site)], capture_output=True, text=True, check=True
    )
    index = json.loads(written.stdout)
    assert len(index) >= 150

    checked = subprocess.run(
        ["node", str(REPO / "scripts/check-exports.mjs"), str(site)], capture_output=True, text=True, timeout=600
    )
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    missed = []
    for case in index:
        mine = [line for line in lines if case["manifest"] in line or case["manifest"][: -len(".json")] + "/" in line]
        if not any(re.search(case["expect"], line) for line in mine):
            missed.append(f"{case['stage']}: {case['name']}: {mine[:2]}")
    assert missed == []
    assert not any("exports/mlp_weights.json" in line and "broken-" not in line for line in lines), (
        "the intact default export passes"
    )
