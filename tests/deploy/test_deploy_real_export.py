"""Deploys a clone of this repository's own HEAD, once HEAD holds the default export."""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from deploy_repo import SiteRepo
from deploy_site import REPO, install_deploy_tool, install_page_modules


def test_real_head_deploys_and_its_export_checks_out(tmp_path):
    has_export = (
        subprocess.run(
            ["git", "-C", str(REPO), "cat-file", "-e", "HEAD:exports/mlp_weights.json"], capture_output=True
        ).returncode
        == 0
    )
    if not has_export:
        pytest.skip("the repository's HEAD has no exports/mlp_weights.json yet: nothing real to deploy")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(REPO), str(clone)], check=True)
    # The deploy.sh under test, even if HEAD holds an older one or none, and the work tree's page
    # modules, which check a commit that ships none of its own (as in a real clone's work tree).
    install_deploy_tool(clone)
    install_page_modules(clone)
    site = SiteRepo(clone, releases={})

    site.deploy_ok()

    assert site.published_site(site.current) == site.commit_site("HEAD")
    manifest_path = site.current / "exports/mlp_weights.json"
    manifest = json.loads(manifest_path.read_text())
    for entry in manifest["timeline"] + [manifest["probe"], manifest["gallery"]]:
        data = (manifest_path.parent / entry["file"]).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (entry["bytes"], entry["sha256"]), entry["file"]
