"""Fixtures for the deploy.sh tests: every test runs the real deploy.sh inside
its own clone of a small generated site repository (see deploy_site.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from deploy_repo import SiteRepo
from deploy_site import Release, build_template


@pytest.fixture(scope="session")
def site_template(tmp_path_factory) -> tuple[Path, dict[str, Release]]:
    root = tmp_path_factory.mktemp("deploy") / "template"
    return root, build_template(root)


@pytest.fixture
def site(site_template, tmp_path) -> SiteRepo:
    template, releases = site_template
    clone = tmp_path / "site"
    subprocess.run(["git", "clone", "-q", str(template), str(clone)], check=True)
    return SiteRepo(clone, releases)
