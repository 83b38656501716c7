"""The kiosk server sends the site's files and nothing else: requests sent byte for byte
(http.client does not normalise the path) that climb out with dot segments, encoded dots or
slashes, backslashes or NUL bytes are refused, folders are never listed, and no answer names
a path on disk. Symlinks out of the root are refused (site_file on a folder made here)."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys

import pytest
from conftest import REPO
from kiosk.site_files import SITE_ENTRIES, Refused, site_file


def get(kiosk, path: str, method: str = "GET") -> tuple[int, bytes, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", kiosk.port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", f"127.0.0.1:{kiosk.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.getheaders())


def test_the_site_is_served_with_its_types_and_the_relay_marker(kiosk):
    status, body, headers = get(kiosk, "/")
    assert status == 200 and body == (REPO / "index.html").read_bytes()
    assert headers["Content-Type"].startswith("text/html") and headers["X-Kiosk-Relay"] == "1"
    status, body, headers = get(kiosk, "/assets/js/main.js?role=pad")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    status, body, headers = get(kiosk, "/exports/mlp_weights.json", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert kiosk.lines[1].endswith("/?role=display") and "?role=pad&room=" in kiosk.lines[2]


@pytest.mark.parametrize(
    "path",
    [
        "/../README.md",
        "/assets/../../README.md",
        "/assets/../README.md",
        "/%2e%2e/README.md",
        "/assets/%2E%2E/%2e%2e/README.md",
        "/assets%2f..%2f..%2fREADME.md",
        "/assets/js%2fmain.js",
        "/assets\\..\\README.md",
        "/assets/%5c..%5cREADME.md",
        "/index.html%00.txt",
        "/./index.html",
        "/assets/./js/main.js",
        "//etc/passwd",
        "/%2fetc/passwd",
        "http://example.com/../../etc/passwd",
        "/~root",
        "/assets/%ff.js",  # not UTF-8
        "/%c0%ae%c0%ae/README.md",  # an overlong UTF-8 dot
    ],
)
def test_traversal_forms_are_refused_without_naming_a_path(kiosk, path):
    status, body, _ = get(kiosk, path)
    assert status in (403, 404), (path, status)
    assert re.fullmatch(rb"40[34] (Forbidden|Not Found)\n", body), body


@pytest.mark.parametrize(
    "path", ["/README.md", "/scripts/kiosk_server.py", "/.git/HEAD", "/assets/", "/assets", "/exports/"]
)
def test_files_outside_the_site_and_folders_are_not_found(kiosk, path):
    status, body, _ = get(kiosk, path)
    assert status == 404 and body == b"404 Not Found\n", (path, status, body)


def test_the_site_entries_are_the_ones_deploy_publishes():
    line = re.search(r"^readonly SITE_ALLOWLIST=\((.*)\)$", (REPO / "deploy.sh").read_text(), re.M).group(1)
    assert tuple(line.split()) == SITE_ENTRIES


def test_a_symlink_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "site"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("page")
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "assets" / "leak.txt").symlink_to(secret)
    (root / "assets" / "inside.html").symlink_to(root / "index.html")
    assert site_file(root, "/") == (root / "index.html").resolve()
    assert site_file(root, "/assets/inside.html") == (root / "index.html").resolve(), "a link inside the root is fine"
    with pytest.raises(Refused) as refused:
        site_file(root, "/assets/leak.txt")
    assert refused.value.status == 403


def test_a_bad_port_or_address_is_one_clear_line():
    script = str(REPO / "scripts" / "kiosk_server.py")
    for args, expected in [
        (["--port", "70000"], "--port 70000: not a TCP port"),
        (["--port", "0", "--bind", "203.0.113.7"], "cannot listen on --bind 203.0.113.7 --port 0"),
    ]:
        run = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, timeout=20)
        assert run.returncode != 0 and run.stdout == ""
        assert expected in run.stderr and len(run.stderr.strip().splitlines()) <= 3, run.stderr
