"""The flock on releases/.deploy.lock serialises deploys; a waiter gives up with a clear message."""

from __future__ import annotations

import time

from deploy_repo import RELEASES_AFTER_A_RUN, lock_held


def wait_for_text(path, text, timeout=20):
    deadline = time.monotonic() + timeout
    while text not in path.read_text():
        assert time.monotonic() < deadline, f"{path.name} never said {text!r}: {path.read_text()!r}"
        time.sleep(0.05)


def test_two_deploys_started_together_both_finish_one_after_the_other(site, tmp_path):
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [site.start("site-a", log=logs[0]), site.start("site-b", log=logs[1])]
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0], [log.read_text() for log in logs]

    first, second = site.release_names()
    assert first < second, "distinct timestamps even within one second"
    assert {site.commit_info(first)["requested"], site.commit_info(second)["requested"]} == {"site-a", "site-b"}
    assert site.current_release() == second, "the deploy that ran last is current"
    for name in (first, second):
        assert site.published_site(site.backups / name) == site.commit_site(site.commit_info(name)["requested"])
    assert sorted(p.name for p in site.releases_dir.iterdir()) == RELEASES_AFTER_A_RUN


def test_deploys_wait_for_the_lock_then_run_in_turn(site, tmp_path):
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with lock_held(site):
        procs = [site.start("site-a", log=logs[0]), site.start("site-b", log=logs[1])]
        for log in logs:
            wait_for_text(log, "another deploy.sh holds releases/.deploy.lock; waiting up to 60s")
        assert all(proc.poll() is None for proc in procs), "both must be waiting"
        assert site.release_names() == [] and not site.current.exists(), "nothing published while waiting"
        assert not (site.releases_dir / ".deploy_tmp").exists(), "nothing staged while waiting"
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0], [log.read_text() for log in logs]

    assert len(site.release_names()) == 2
    assert {site.commit_info(name)["requested"] for name in site.release_names()} == {"site-a", "site-b"}


def test_a_deploy_gives_up_after_wait_seconds(site):
    site.deploy_ok("site-a")
    before = site.state()
    with lock_held(site):
        started = time.monotonic()
        result = site.deploy("--wait", "1", "site-b")
        waited = time.monotonic() - started

    assert result.returncode == 1
    assert "gave up after 1s: another deploy.sh still holds releases/.deploy.lock" in result.stderr
    assert 0.9 < waited < 10
    assert site.state() == before
