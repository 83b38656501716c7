"""--rollback switches back to an earlier release byte for byte; --keep prunes old ones."""

from __future__ import annotations

from deploy_repo import RELEASES_AFTER_A_RUN, file_hashes


def test_rollback_restores_exactly_the_previous_tree(site):
    site.deploy_ok("site-a")
    first_release, first_tree = site.current_release(), file_hashes(site.current)
    site.deploy_ok("site-b")
    assert file_hashes(site.current) != first_tree

    result = site.deploy_ok("--rollback")

    assert site.current_release() == first_release
    assert file_hashes(site.current) == first_tree, "every file, .commit included, is the one published first"
    assert f"backups/{first_release}" in result.stdout and "site-a" in result.stdout
    assert len(site.release_names()) == 2, "a rollback keeps the newer release for rolling forward"


def test_rollbacks_walk_back_then_forward_by_timestamp(site):
    for tag in ("site-a", "site-b", "site-c"):
        site.deploy_ok(tag)
    a, b, c = site.release_names()
    tree_c = file_hashes(site.backups / c)

    site.deploy_ok("--rollback")
    assert site.current_release() == b
    site.deploy_ok("--rollback")
    assert site.current_release() == a

    refused = site.deploy("--rollback")
    assert refused.returncode == 1
    assert f"no release older than {a}" in refused.stderr
    assert site.current_release() == a

    site.deploy_ok("--rollback", c)
    assert site.current_release() == c and file_hashes(site.current) == tree_c
    assert "already current" in site.deploy_ok("--rollback", c).stdout


def test_rollback_to_an_unknown_release_or_with_nothing_published(site):
    nothing = site.deploy("--rollback")
    assert nothing.returncode == 1 and "nothing is published yet" in nothing.stderr

    site.deploy_ok("site-a")
    before = site.state()
    missing = site.deploy("--rollback", "20200101T000000Z")
    assert missing.returncode == 1
    assert "no release 20200101T000000Z in releases/backups" in missing.stderr
    assert site.state() == before


def test_keep_prunes_oldest_releases_but_never_the_current_one(site):
    for tag in ("site-a", "site-b", "site-c", "HEAD~1"):
        site.deploy_ok(tag)
    a, b, c, d = site.release_names()
    site.deploy_ok("--rollback", a)
    kept_tree = file_hashes(site.backups / a)

    result = site.deploy_ok("--keep", "2")

    assert site.release_names() == [a, c, d], "the two newest plus the current (oldest) one"
    assert site.current_release() == a and file_hashes(site.current) == kept_tree
    assert "pruned 1 old release" in result.stdout

    site.deploy_ok("--keep", "1", "site-b")
    newest = site.release_names()[-1]
    assert site.release_names() == [newest], "deploying then pruning keeps just the new current release"
    assert site.published_site(site.current) == site.commit_site("site-b")
    assert sorted(p.name for p in site.releases_dir.iterdir()) == RELEASES_AFTER_A_RUN
