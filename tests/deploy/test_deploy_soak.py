"""While 20 deploys and rollbacks (with --keep 4) run, two clients keep fetching
through one `python -m http.server --directory releases`, the README's serve
command:

- A page client does what an open page does: it opens the entry point `/`,
  follows it to its release `/backups/<timestamp>/`, loads that release's
  index.html and manifest, then fetches every file the manifest lists, over
  and over with pauses, as a page that stays open and scrubs the timeline.
  Every file must match the sha256 of the manifest the page loaded: 0 mixed
  and 0 missing responses (issue 9, item 13), while its sessions span many
  switches. A release pruned by --keep while a page reads it is gone (its files
  then answer 404): counted apart, and checked to be really gone.
- A direct client reads `/current/`, the symlink, as servers started with
  `--directory releases/current` do: every response must be complete and match
  the manifest of the release that served it (the symlink is followed anew by
  every request). It counts the files that came from a release switched in
  after its manifest: what the entry point exists to avoid.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from deploy_repo import start_server

OPERATIONS = 20
TAGS = ("site-a", "site-b", "site-c")
MANIFEST = "exports/mlp_weights.json"
PAGE_ROUNDS = 3  # times an open page fetches every listed file before it is "reloaded"
PAUSE = 0.01  # seconds between two fetches of a page


class FetchError(Exception):
    pass


class Missing(FetchError):
    """A non-200 answer."""


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise Missing(f"{path}: HTTP {response.status}")
        length = response.getheader("Content-Length")
        if length is None or int(length) != len(body):
            raise FetchError(f"{path}: {len(body)} bytes received, Content-Length {length}")
        return body
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{path}: {error!r}") from error
    finally:
        connection.close()


@dataclass
class PageReport:
    responses: int = 0
    mixed: list[str] = field(default_factory=list)  # a file that is not the one its page's manifest lists
    missing: list[str] = field(default_factory=list)  # a non-200 answer from a release that is still kept
    errors: list[str] = field(default_factory=list)  # anything else: a bad entry page, a broken connection
    gone: int = 0  # pages whose release was pruned while they were open
    sessions: int = 0
    sessions_across_a_switch: int = 0
    releases_seen: set[str] = field(default_factory=set)


def entry_target(entry: bytes) -> str:
    """The release folder the entry page forwards to; its link and its meta refresh must agree."""
    link = re.search(rb'<a id="release" href="(backups/\d{8}T\d{6}Z/)">', entry)
    refresh = re.search(rb'<meta http-equiv="refresh" content="0; url=(backups/\d{8}T\d{6}Z/)">', entry)
    if not link or not refresh or link.group(1) != refresh.group(1) or b'<script src="forward.js">' not in entry:
        raise FetchError(f"/ is not an entry page forwarding to a release: {entry[:300]!r}")
    return "/" + link.group(1).decode()


def page_session(port: int, backups: Path, releases_by_marker: dict, report: PageReport) -> None:
    """One open page, from the entry point until it is reloaded."""

    def get(path: str) -> bytes:
        report.responses += 1
        return fetch(port, path)

    base = entry_target(get("/"))
    release_name = base.rstrip("/").split("/")[-1]
    report.sessions += 1
    try:
        index = get(base)
        manifest = json.loads(get(f"{base}{MANIFEST}"))
        release = releases_by_marker.get(manifest.get("created_utc"))
        if release is None or manifest != release.manifest:
            raise FetchError(f"{base}{MANIFEST} is not the manifest of any release")
        if index != release.index_html:
            report.mixed.append(f"{base}: index.html of another release than its manifest")
        report.releases_seen.add(release.tag)
        listed = release.listed_files()
        rng = random.Random()
        for _ in range(PAGE_ROUNDS):
            for name in rng.sample(sorted(listed), len(listed)):
                body = get(f"{base}exports/{name}")
                if hashlib.sha256(body).hexdigest() != listed[name]:
                    report.mixed.append(f"{base}exports/{name}: not the file its manifest lists")
                time.sleep(PAUSE)
    except Missing as error:
        # Gone only if --keep really removed the release; a 404 from a kept release is a failure.
        if (backups / release_name).exists():
            report.missing.append(str(error))
        else:
            report.gone += 1
    if entry_target(get("/")) != base:
        report.sessions_across_a_switch += 1


def page_client(port: int, backups: Path, releases_by_marker: dict, stop: threading.Event, report: PageReport):
    while not stop.is_set():
        try:
            page_session(port, backups, releases_by_marker, report)
        except FetchError as error:
            report.errors.append(str(error))


@dataclass
class DirectReport:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    releases_seen: set[str] = field(default_factory=set)
    # Files served by a newer or older release than the manifest fetched just before them.
    switched_mid_page: int = 0


def direct_fetch_once(port: int, releases_by_marker: dict, sha_to_release: dict, report: DirectReport) -> None:
    """/current/: index.html, the manifest, then every file it lists; raises FetchError on the first problem."""
    report.requests += 1
    index = fetch(port, "/current/index.html")
    marker = re.search(rb"<!-- release (\S+) -->", index)
    if not marker or index != releases_by_marker[marker.group(1).decode()].index_html:
        raise FetchError("/current/index.html is not the index.html of any release")

    report.requests += 1
    manifest = json.loads(fetch(port, f"/current/{MANIFEST}"))
    release = releases_by_marker.get(manifest.get("created_utc"))
    if release is None or manifest != release.manifest:
        raise FetchError(f"/current/{MANIFEST} is not the manifest of any release")
    report.releases_seen.add(release.tag)

    for name in release.listed_files():
        report.requests += 1
        body = fetch(port, f"/current/exports/{name}")
        served_by = sha_to_release.get((name, hashlib.sha256(body).hexdigest()))
        if served_by is None:
            raise FetchError(f"/current/exports/{name}: not the file of any release")
        report.switched_mid_page += served_by is not release


def direct_client(port: int, releases_by_marker: dict, stop: threading.Event, report: DirectReport) -> None:
    sha_to_release = {
        (name, sha): release for release in releases_by_marker.values() for name, sha in release.listed_files().items()
    }
    while not stop.is_set():
        try:
            direct_fetch_once(port, releases_by_marker, sha_to_release, report)
        except FetchError as error:
            report.failures.append(str(error))


def served_marker(folder) -> str:
    return json.loads((folder / MANIFEST).read_text())["created_utc"]


def next_operation(site, rng: random.Random) -> tuple[list[str], str]:
    """Arguments for deploy.sh and the marker of the release that must be current afterwards."""
    current = site.current_release()
    others = [name for name in site.release_names() if name != current]
    if others and rng.random() < 0.45:
        older = [name for name in others if name < current]
        target = older[-1] if older else rng.choice(others)
        args = ["--rollback"] if older else ["--rollback", target]
        return args, served_marker(site.backups / target)
    tag = rng.choice([tag for tag in TAGS if site.releases[tag].marker != served_marker(site.current)])
    return ["--keep", "4", tag], site.releases[tag].marker


def test_open_pages_keep_their_release_while_deploying(site):
    site.deploy_ok("site-a")
    releases_by_marker = {release.marker: release for release in site.releases.values()}
    server, port = start_server(site)
    page, direct, stop = PageReport(), DirectReport(), threading.Event()
    clients = [
        threading.Thread(target=page_client, args=(port, site.backups, releases_by_marker, stop, page), daemon=True),
        threading.Thread(target=direct_client, args=(port, releases_by_marker, stop, direct), daemon=True),
    ]
    rng = random.Random(11)
    started = time.monotonic()
    try:
        for client in clients:
            client.start()
        operations = []
        for _ in range(OPERATIONS):
            args, expected_marker = next_operation(site, rng)
            site.deploy_ok(*args)
            operations.append(args[0])
            assert served_marker(site.current) == expected_marker, args
            entry = (site.releases_dir / "index.html").read_bytes()
            assert entry_target(entry) == f"/backups/{site.current_release()}/", "the entry page follows"
            time.sleep(0.1)  # let the clients fetch from every release
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)
        server.terminate()
        server.wait(timeout=10)
    elapsed = time.monotonic() - started

    print(
        f"\nsoak: {OPERATIONS} operations ({operations.count('--rollback')} rollbacks) in {elapsed:.1f}s\n"
        f"  page via /: {page.responses} responses, {len(page.mixed)} mixed, {len(page.missing)} missing, "
        f"{len(page.errors)} errors; {page.sessions} pages, {page.sessions_across_a_switch} open across a switch, "
        f"{page.gone} on a release pruned while open\n"
        f"  direct via /current/: {direct.requests} requests, {len(direct.failures)} failures, "
        f"{direct.switched_mid_page} files from a release switched in after their manifest"
    )
    assert not any(client.is_alive() for client in clients)
    assert operations.count("--rollback") >= 5 and operations.count("--keep") >= 5, operations
    assert page.responses > 0 and direct.requests > 0
    assert page.mixed == [], page.mixed[:10]
    assert page.missing == [], page.missing[:10]
    assert page.errors == [], page.errors[:10]
    assert page.sessions_across_a_switch >= 3, "pages must stay open across switches for the test to mean anything"
    assert direct.failures == [], direct.failures[:10]
    for report in (page, direct):
        assert len(report.releases_seen) >= 2, "the running server must follow every switch"
    assert len(site.release_names()) <= 4 + 1, "--keep 4 pruned while serving"
