"""While 20 deploys and rollbacks run, a client on 127.0.0.1 keeps fetching the
page, the manifest and every file it lists through
`python -m http.server --directory releases/current`: it must never see an
error, a 404, a truncated body or a file that differs from what the manifest of
its own release lists.

http.server keeps the relative path `releases/current` and joins each request
path onto it, so every request resolves the symlink anew: a running server
follows each switch (the test asserts it saw several releases)."""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

OPERATIONS = 20
TAGS = ("site-a", "site-b", "site-c")


@dataclass
class ClientReport:
    requests: int = 0
    failures: list[str] = field(default_factory=list)
    releases_seen: set[str] = field(default_factory=set)
    # Snapshots served by a newer or older release than the manifest fetched just before them.
    switched_mid_page: int = 0


class FetchError(Exception):
    pass


def fetch(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise FetchError(f"{path}: HTTP {response.status}")
        length = response.getheader("Content-Length")
        if length is None or int(length) != len(body):
            raise FetchError(f"{path}: {len(body)} bytes received, Content-Length {length}")
        return body
    except (OSError, http.client.HTTPException) as error:
        raise FetchError(f"{path}: {error!r}") from error
    finally:
        connection.close()


def fetch_site_once(port: int, releases_by_marker: dict, report: ClientReport) -> None:
    """index.html, the manifest, then every file the manifest lists; raises FetchError on the first problem."""
    report.requests += 1
    index = fetch(port, "/index.html")
    marker = re.search(rb"<!-- release (\S+) -->", index)
    if not marker or index != releases_by_marker[marker.group(1).decode()].index_html:
        raise FetchError("/index.html is not the index.html of any release")

    report.requests += 1
    manifest = json.loads(fetch(port, "/exports/mlp_weights.json"))
    release = releases_by_marker.get(manifest.get("created_utc"))
    if release is None or manifest != release.manifest:
        raise FetchError("/exports/mlp_weights.json is not the manifest of any release")
    report.releases_seen.add(release.tag)

    for name in release.listed_files():
        report.requests += 1
        body = fetch(port, f"/exports/{name}")
        served_by = releases_by_marker.get(body.split(b" ", 2)[1].decode(errors="replace"))
        if served_by is None:
            raise FetchError(f"/exports/{name}: no release marker")
        # Checked against the manifest of the release that served it, not the one fetched above.
        if hashlib.sha256(body).hexdigest() != served_by.listed_files()[name]:
            raise FetchError(f"/exports/{name}: sha256 differs from the manifest of {served_by.tag}")
        report.switched_mid_page += served_by is not release


def client_loop(port: int, releases_by_marker: dict, stop: threading.Event, report: ClientReport) -> None:
    while not stop.is_set():
        try:
            fetch_site_once(port, releases_by_marker, report)
        except FetchError as error:
            report.failures.append(str(error))


def start_server(site) -> tuple[subprocess.Popen, int]:
    """`python -m http.server --directory releases/current` on a free port chosen by the kernel."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "--bind", "127.0.0.1", "--directory", "releases/current", "0"],
        cwd=site.path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    banner = server.stdout.readline()  # "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
    port = re.search(r"port (\d+)", banner)
    assert port, f"http.server did not start: {banner!r}"
    return server, int(port.group(1))


def served_marker(folder) -> str:
    return json.loads((folder / "exports/mlp_weights.json").read_text())["created_utc"]


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


def test_clients_never_see_a_broken_or_mixed_release_while_deploying(site):
    site.deploy_ok("site-a")
    releases_by_marker = {release.marker: release for release in site.releases.values()}
    server, port = start_server(site)
    report, stop = ClientReport(), threading.Event()
    client = threading.Thread(target=client_loop, args=(port, releases_by_marker, stop, report), daemon=True)
    rng = random.Random(11)
    started = time.monotonic()
    try:
        client.start()
        operations = []
        for _ in range(OPERATIONS):
            args, expected_marker = next_operation(site, rng)
            site.deploy_ok(*args)
            operations.append(args[0])
            assert served_marker(site.current) == expected_marker, args
            time.sleep(0.05)  # let the client fetch from every release
    finally:
        stop.set()
        client.join(timeout=30)
        server.terminate()
        server.wait(timeout=10)
    elapsed = time.monotonic() - started

    print(
        f"\nsoak: {OPERATIONS} operations ({operations.count('--rollback')} rollbacks) in {elapsed:.1f}s, "
        f"{report.requests} requests, {len(report.failures)} failures, "
        f"{report.switched_mid_page} files served by a release switched in after their manifest"
    )
    assert not client.is_alive()
    assert operations.count("--rollback") >= 5 and operations.count("--keep") >= 5, operations
    assert report.requests > 0
    assert report.failures == [], report.failures[:10]
    assert len(report.releases_seen) >= 2, "the running server must follow releases/current across switches"
    assert len(site.release_names()) <= 4 + 1, "--keep 4 pruned while serving"
