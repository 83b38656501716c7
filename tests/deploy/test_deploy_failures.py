"""Every failure exits non-zero with a clear message and changes nothing."""

from __future__ import annotations

import os
import subprocess

import pytest
from deploy_repo import RELEASES_AFTER_A_RUN
from deploy_site import BROKEN_VARIANTS, DEPLOY_TOOL_FILES, install_deploy_tool


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

    for message in BROKEN_VARIANTS[variant][1]:
        assert_failed_cleanly(published, result, message, before)
    assert all(line.startswith(f"deploy.sh: broken-{variant}") for line in result.stderr.splitlines()), "a line each"
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


def path_without(tmp_path, left_out) -> str:
    """A PATH holding every tool of this machine except those whose name left_out(name) is true for."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for name in os.listdir(folder):
            target = os.path.join(folder, name)
            if not left_out(name) and not (bin_dir / name).exists() and os.access(target, os.X_OK):
                (bin_dir / name).symlink_to(target)
    return str(bin_dir)


def test_missing_git(published, tmp_path):
    before = published.state()

    result = published.deploy(env={**os.environ, "PATH": path_without(tmp_path, lambda name: name.startswith("git"))})

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

    assert sorted(os.listdir(published.releases_dir)) == RELEASES_AFTER_A_RUN
    assert published.published_site(published.current) == published.commit_site("site-b")


@pytest.mark.parametrize("tool", DEPLOY_TOOL_FILES[1:])
def test_missing_tool_file(published, tool):
    (published.path / tool).unlink()
    before = published.state()

    result = published.deploy("site-b")

    assert_failed_cleanly(published, result, f"{tool} is missing: deploy.sh needs it", before)
    assert len(result.stderr.splitlines()) == 1


def test_missing_forward_script_stops_rollback_and_prune_too(published):
    published.deploy_ok("site-b")
    (published.path / "scripts/forward-to-release.js").unlink()
    before = published.state()

    for args in (["--rollback"], ["--keep", "1"]):
        result = published.deploy(*args)
        assert_failed_cleanly(published, result, "scripts/forward-to-release.js is missing: deploy.sh needs it", before)


def test_missing_node(published, tmp_path):
    before = published.state()

    result = published.deploy("site-b", env={**os.environ, "PATH": path_without(tmp_path, lambda name: name == "node")})

    assert_failed_cleanly(published, result, "node is not installed: it is needed to check the exports", before)
    assert len(result.stderr.splitlines()) == 1
