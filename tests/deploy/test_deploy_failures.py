"""Every failure exits non-zero with a clear message and changes nothing."""

from __future__ import annotations

import os
import subprocess

import pytest
from deploy_site import BROKEN_VARIANTS, install_deploy_tool


@pytest.fixture
def published(site):
    """The site with site-a published: failures must leave exactly this in place."""
    site.deploy_ok("site-a")
    return site


def assert_failed_cleanly(site, result, message, before):
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr, result.stderr
    assert site.state() == before, "releases/ changed after a failed run"


@pytest.mark.parametrize("variant", sorted(BROKEN_VARIANTS))
def test_broken_site_fails_validation_and_leaves_current_untouched(published, variant):
    before = published.state()

    result = published.deploy(f"broken-{variant}")

    assert_failed_cleanly(published, result, BROKEN_VARIANTS[variant][1], before)
    assert (
        f"broken-{variant} ({published.rev(f'broken-{variant}')[:12]}) failed validation; releases/current untouched"
        in result.stderr
    )


def test_unknown_commitish_fails_cleanly(published):
    before = published.state()
    result = published.deploy("no-such-tag")
    assert_failed_cleanly(published, result, "unknown commit-ish 'no-such-tag'", before)
    assert len(result.stderr.splitlines()) == 1


def test_not_a_git_repository(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    install_deploy_tool(plain)

    result = subprocess.run(["./deploy.sh"], cwd=plain, capture_output=True, text=True, timeout=30)

    assert result.returncode == 1
    assert f"{plain} is not a git repository" in result.stderr
    assert sorted(os.listdir(plain)) == ["deploy.sh", "scripts"], "nothing created"


def test_missing_git(published, tmp_path):
    # A PATH holding every tool of this machine except git.
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = os.path.join(folder, name)
            if not name.startswith("git") and not (bin_dir / name).exists() and os.access(target, os.X_OK):
                (bin_dir / name).symlink_to(target)
    before = published.state()

    result = published.deploy(env={**os.environ, "PATH": str(bin_dir)})

    assert_failed_cleanly(published, result, "git is not installed", before)


def test_disk_error_while_staging_cleans_up(published):
    # RLIMIT_FSIZE makes every write past 64 KiB fail, as a full disk would (snapshots are ~190 KiB).
    before = published.state()

    result = subprocess.run(
        ["bash", "-c", "ulimit -f 64 && exec ./deploy.sh site-b"],
        cwd=published.path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert_failed_cleanly(published, result, "could not export", before)
    assert "disk full or not writable?" in result.stderr


def test_current_that_is_a_real_directory_is_not_replaced(site):
    site.current.mkdir(parents=True)
    (site.current / "index.html").write_text("hand-made")
    before = site.state()

    result = site.deploy("site-a")

    assert_failed_cleanly(site, result, "releases/current is a real directory, not a symlink", before)


def test_leftovers_of_a_killed_run_are_cleared_by_the_next_one(published):
    # What a deploy killed with SIGKILL (no trap runs) or a power cut can leave behind.
    (published.releases_dir / ".deploy_tmp/assets").mkdir(parents=True)
    (published.releases_dir / ".deploy_tmp/index.html").write_text("half staged")
    (published.releases_dir / ".current.tmp").symlink_to("backups/nowhere")
    (published.releases_dir / ".pruning.20200101T000000Z").mkdir()

    published.deploy_ok("site-b")

    assert sorted(os.listdir(published.releases_dir)) == [".deploy.lock", "backups", "current"]
    assert published.published_site(published.current) == published.commit_site("site-b")


def test_missing_validator(published):
    (published.path / "scripts/validate_site.py").unlink()
    before = published.state()

    result = published.deploy("site-b")

    assert_failed_cleanly(published, result, "scripts/validate_site.py is missing", before)
