"""Numbers out of range and an empty commit-ish are refused with exit 2 and one
line naming the argument, before anything is locked, staged or pruned (issue 9,
item 14: `--keep 18446744073709551617` pruned 43 releases, `--wait
18446744073709551616` wrapped to 0, `./deploy.sh ""` published HEAD)."""

from __future__ import annotations

import time

import pytest
from deploy_repo import lock_held

KEEP_RANGE = "--keep needs a whole number from 1 to 10000"
WAIT_RANGE = "--wait needs a whole number from 0 to 86400"


@pytest.fixture
def three_releases(site):
    for tag in ("site-a", "site-b", "site-c"):
        site.deploy_ok(tag)
    return site


def assert_refused(site, args, message, before):
    result = site.deploy(*args)
    assert result.returncode == 2, (args, result.stdout, result.stderr)
    assert result.stderr.splitlines() == [f"deploy.sh: {message} (see ./deploy.sh --help)"], (args, result.stderr)
    assert result.stdout == ""
    assert site.state() == before, f"{args} changed releases/"


NOT_A_COUNT = [
    "18446744073709551617",  # 2**64 + 1: bash arithmetic wraps it to 1
    "18446744073709551616",  # 2**64: wraps to 0
    "9223372036854775808",  # 2**63: wraps to a negative number
    "99999999999999999999999999999999",
    "",
    "+5",
    "-5",
    " 5",
    "5 ",
    "5x",
    "0x10",
    "1e3",
    "1.5",
    "٣",  # ARABIC-INDIC DIGIT THREE: digits are ASCII only
]


def test_keep_out_of_range_or_not_a_number_prunes_nothing(three_releases):
    site = three_releases
    before = site.state()
    for value in [*NOT_A_COUNT, "10001", "0", "00000"]:
        for args in (["--keep", value], ["--keep", value, "site-a"], ["--rollback", "--keep", value]):
            assert_refused(site, args, f"{KEEP_RANGE}, got '{value}'", before)


def test_wait_out_of_range_is_refused_instead_of_wrapping(site):
    site.deploy_ok("site-a")
    before = site.state()
    with lock_held(site):
        for value in [*NOT_A_COUNT, "86401"]:
            started = time.monotonic()
            assert_refused(site, ["--wait", value, "site-b"], f"{WAIT_RANGE}, got '{value}'", before)
            assert time.monotonic() - started < 10, "refused at once, not after waiting"


def test_bounds_and_leading_zeros_are_accepted(three_releases):
    site = three_releases
    assert "pruned 0 old release(s); kept 3" in site.deploy_ok("--keep", "10000").stdout
    assert "pruned 0 old release(s); kept 3" in site.deploy_ok("--keep", "0003").stdout
    site.deploy_ok("--wait", "86400", "--rollback")
    assert "pruned 1 old release(s); kept 2" in site.deploy_ok("--keep", "02").stdout


def test_wait_zero_gives_up_at_once(site):
    site.deploy_ok("site-a")
    before = site.state()
    with lock_held(site):
        result = site.deploy("--wait", "0", "site-b")
    assert result.returncode == 1
    assert "gave up after 0s" in result.stderr
    assert site.state() == before


def test_empty_commitish_is_refused_not_taken_for_head(site):
    site.deploy_ok("site-a")
    before = site.state()
    empty = "the commit-ish is empty: name a commit, branch or tag, or leave it out to publish HEAD"
    assert_refused(site, [""], empty, before)
    assert_refused(site, ["--keep", "3", ""], empty, before)
    assert_refused(site, ["", "--wait", "5"], empty, before)
    no_timestamp = "--rollback needs a release timestamp like 20261122T093000Z, got ''"
    assert_refused(site, ["--rollback", ""], no_timestamp, before)
    assert_refused(site, ["", "site-b"], "one commit-ish or timestamp at a time, got '' and 'site-b'", before)
