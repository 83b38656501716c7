"""deploy.sh publishes exactly the allowlisted files of the commit asked for."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta, timezone

from deploy_repo import RELEASES_AFTER_A_RUN


def test_deploy_defaults_to_head_and_publishes_only_the_site(site):
    # A dirty working tree must not leak into the release: git archive, not the files on disk.
    (site.path / "index.html").write_text("<p>uncommitted edit</p>")
    (site.path / "assets/js/uncommitted.js").write_text("untracked\n")

    result = site.deploy_ok()

    release = site.current_release()
    assert re.fullmatch(r"\d{8}T\d{6}Z", release)
    assert os.readlink(site.current) == f"backups/{release}", "releases/current must be a relative link"
    published = site.published_site(site.current)
    assert published == site.commit_site("HEAD")
    tops = {path.split("/")[0] for path in published}
    assert tops == {"index.html", "assets", "exports"}, "site-c has neither LICENSE nor favicon"
    assert f"releases/backups/{release}" in result.stdout
    assert sorted(os.listdir(site.releases_dir)) == RELEASES_AFTER_A_RUN, "staging must be gone"


def test_decoys_in_the_commit_never_ship(site):
    site.deploy_ok("site-a")

    names = {path.relative_to(site.current).as_posix() for path in site.current.rglob("*")}
    committed = set(site.commit_site("site-a")) | {".commit"}
    assert {name for name in names if (site.current / name).is_file()} == committed
    for decoy in (
        "tests",
        "training",
        "docs",
        "benchmarks",
        "node_modules",
        "data",
        ".venv",
        ".git",
        "package.json",
        "package-lock.json",
        "README.md",
        "deploy.sh",
        "scripts",
        ".gitignore",
        "exports_backup",
        "favicon.ico",
    ):
        assert decoy not in names, f"{decoy} was published"
    assert {"LICENSE", "favicon.svg"} <= names, "the optional site files of site-a ship"


def test_commit_file_records_hash_request_and_time(site):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    site.deploy_ok("site-b")

    info = site.commit_info(site.current_release())
    assert info["commit"] == site.rev("site-b") and len(info["commit"]) == 40
    assert info["requested"] == "site-b"
    deployed = datetime.strptime(info["deployed_utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert before <= deployed <= datetime.now(timezone.utc) + timedelta(seconds=1)
    assert info["subject"] == "site b: timeline module, no licence"


def test_deploying_an_older_commitish_publishes_that_tree(site):
    site.deploy_ok()
    head_release = site.current_release()

    site.deploy_ok("HEAD~2")

    assert site.current_release() > head_release
    assert site.published_site(site.current) == site.commit_site("site-a")
    assert site.commit_info(site.current_release())["commit"] == site.rev("site-a")
    assert site.published_site(site.backups / head_release) == site.commit_site("site-c"), "the older backup is intact"


def test_list_names_releases_commits_and_the_current_one(site):
    site.deploy_ok("site-a")
    site.deploy_ok("site-b")
    first, second = site.release_names()

    listing = site.deploy_ok("--list").stdout.splitlines()

    assert len(listing) == 2
    assert listing[0].startswith(f"  {first}  {site.rev('site-a')[:12]}  site-a")
    assert listing[1].startswith(f"* {second}  {site.rev('site-b')[:12]}  site-b")


def test_list_before_any_deploy(site):
    assert "no releases yet" in site.deploy_ok("--list").stdout


def test_help_and_usage_errors(site):
    help_text = site.deploy_ok("--help").stdout
    for option in ("--rollback", "--list", "--keep", "--wait", "python -m http.server --directory releases\n"):
        assert option in help_text

    for args, message in (
        (["--bogus"], "unknown option '--bogus'"),
        (["site-a", "site-b"], "one commit-ish or timestamp at a time"),
        (["--keep"], "--keep needs a value"),
        (["--keep", "two"], "--keep needs a whole number from 1 to 10000, got 'two'"),
        (["--keep", "0"], "--keep needs a whole number from 1 to 10000, got '0'"),
        (["--wait", "-1"], "--wait needs a whole number from 0 to 86400, got '-1'"),
        (["--rollback", "yesterday"], "--rollback needs a release timestamp"),
        (["--list", "site-a"], "--list takes no other argument"),
        (["--list", ""], "--list takes no other argument"),
    ):
        result = site.deploy(*args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1, "one clear line"
    assert not site.releases_dir.exists() or site.release_names() == []
