"""releases/index.html, the page a visitor opens at / when releases/ is served,
forwards to the current release's own folder /backups/<timestamp>/ (issue 9,
item 13): it follows deploys and rollbacks, is replaced atomically, needs no
inline script, keeps ?query and #hash, and a run killed before writing it
leaves one that the next run redoes."""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess

from deploy_repo import RELEASES_AFTER_A_RUN, start_server
from deploy_site import MANIFEST, REPO


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_entry_page_forwards_to_the_current_release_without_inline_script(site):
    site.deploy_ok("site-a")
    release = site.current_release()
    entry = (site.releases_dir / "index.html").read_text()

    assert site.entry_target() == release
    assert f'<noscript><meta http-equiv="refresh" content="0; url=backups/{release}/"></noscript>' in entry
    assert re.findall(r"<script[^>]*>", entry) == ['<script src="forward.js">'], "one script, from a file"
    assert "</script>" in entry and not re.search(r"<script[^>]*>[^<]", entry), "no inline script"
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', entry)
    assert csp and "script-src 'self'" in csp.group(1) and "unsafe-inline" not in csp.group(1)
    assert (site.releases_dir / "forward.js").read_bytes() == (REPO / "scripts/forward-to-release.js").read_bytes()


def test_served_entry_point_and_release_paths(site):
    site.deploy_ok("site-a")
    first = site.current_release()
    site.deploy_ok("site-b")
    second = site.current_release()
    server, port = start_server(site)
    try:
        for path in ("/", "/index.html", "/?export=exports/short.json"):
            status, body = get(port, path)
            assert status == 200 and f'href="backups/{second}/"'.encode() in body, path
        assert get(port, "/forward.js")[0] == 200
        # Each release stays readable under its own path, the older one included.
        for name, tag in ((first, "site-a"), (second, "site-b")):
            status, body = get(port, f"/backups/{name}/")
            assert (status, body) == (200, site.releases[tag].index_html)
            status, body = get(port, f"/backups/{name}/{MANIFEST}")
            assert status == 200 and json.loads(body) == site.releases[tag].manifest
        # The symlink keeps working for servers started on releases/current.
        assert get(port, "/current/index.html") == (200, site.releases["site-b"].index_html)
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_forward_script_keeps_query_and_hash():
    # forward.js run as a browser would, with the entry page's link resolved against the address.
    script = """
        const vm = require("node:vm");
        const code = require("node:fs").readFileSync(process.argv[1], "utf8");
        const address = new URL(process.argv[2]);
        const replaced = [];
        const location = { search: address.search, hash: address.hash, replace: (url) => replaced.push(url) };
        const link = { href: new URL("backups/20261122T093000Z/", address).href };
        const document = { getElementById: (id) => (id === "release" ? link : null) };
        vm.runInNewContext(code, { location, document });
        console.log(JSON.stringify(replaced));
    """
    forward = str(REPO / "scripts/forward-to-release.js")
    for address, expected in (
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/backups/20261122T093000Z/"),
        (
            "http://127.0.0.1:8000/?export=exports/short.json#snapshot=ep3&neuron=1.17",
            "http://127.0.0.1:8000/backups/20261122T093000Z/?export=exports/short.json#snapshot=ep3&neuron=1.17",
        ),
        (
            "http://kiosk.example/mnist/index.html#drawing=8AJE",
            "http://kiosk.example/mnist/backups/20261122T093000Z/#drawing=8AJE",
        ),
    ):
        result = subprocess.run(["node", "-e", script, forward, address], capture_output=True, text=True, check=True)
        assert json.loads(result.stdout) == [expected], address


def test_rollback_and_prune_move_the_entry_page_but_never_off_a_kept_release(site):
    for tag in ("site-a", "site-b", "site-c"):
        site.deploy_ok(tag)
    a, b, c = site.release_names()
    assert site.entry_target() == c

    site.deploy_ok("--rollback", a)
    assert site.entry_target() == a

    site.deploy_ok("--keep", "1")
    assert site.release_names() == [a, c], "the newest one, and the current one (the oldest)"
    assert site.entry_target() == a and (site.backups / a / "index.html").is_file()
    assert sorted(os.listdir(site.releases_dir)) == RELEASES_AFTER_A_RUN


def test_failed_deploy_or_rollback_leaves_the_entry_page(site):
    site.deploy_ok("site-a")
    before = site.state()
    assert site.deploy("broken-nan-weight").returncode == 1
    assert site.deploy("--rollback").returncode == 1, "nothing older to roll back to"
    assert site.state() == before, "entry page, forward.js and releases untouched"


def test_entry_page_left_behind_by_a_killed_run_is_redone(site):
    site.deploy_ok("site-a")
    site.deploy_ok("site-b")
    a, b = site.release_names()
    # A run killed between renaming releases/current and releases/index.html (kill -9, power cut).
    entry = site.releases_dir / "index.html"
    entry.write_text(entry.read_text().replace(b, a))
    (site.releases_dir / ".index.html.tmp").write_text("half written")
    (site.releases_dir / "forward.js").write_text("// an older forward.js\n")
    listing = site.deploy_ok("--list").stdout
    assert site.entry_target() == a, "--list takes no lock and changes nothing"
    assert f"* {b}" in listing

    site.deploy_ok("--keep", "10")

    assert site.entry_target() == b
    assert (site.releases_dir / "forward.js").read_bytes() == (REPO / "scripts/forward-to-release.js").read_bytes()
    assert sorted(os.listdir(site.releases_dir)) == RELEASES_AFTER_A_RUN


def test_entry_page_that_cannot_be_replaced_never_unpublishes_the_new_release(site):
    # releases/index.html is a folder: the last rename of the first deploy fails after releases/current
    # already points at the new release, which must then stay (not be cleaned up as a failed run's).
    (site.releases_dir / "index.html").mkdir(parents=True)
    (site.releases_dir / "index.html/keep").write_text("not empty")

    result = site.deploy("site-a")

    assert result.returncode == 1
    release = site.current_release()
    assert release and (site.backups / release / "index.html").is_file(), "releases/current points at a kept release"
    assert f"releases/current -> backups/{release}, but {site.releases_dir}/index.html could not be replaced" in (
        result.stderr
    )
    assert not (site.releases_dir / ".index.html.tmp").exists() and not (site.releases_dir / ".current.tmp").exists()
