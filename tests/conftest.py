"""Fixtures shared by every test: the real MNIST files, a real HTTP server on
127.0.0.1 and a real Chromium driven by Playwright."""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "artifacts"
DEFAULT_MNIST = REPO.parent / "shared" / "data" / "mnist"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The four real MNIST IDX files ($MNIST_DIR, else ../shared/data/mnist)."""
    path = Path(os.environ.get("MNIST_DIR", DEFAULT_MNIST))
    if not (path / "train-images-idx3-ubyte.gz").exists() and not (path / "train-images-idx3-ubyte").exists():
        pytest.fail(f"real MNIST not found in {path}: set MNIST_DIR to the folder holding the four IDX files")
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output readable
        pass


class StaticServer:
    """A real http.server on 127.0.0.1 serving one folder; remembers every path requested."""

    def __init__(self, root: Path):
        requests: list[str] = []

        class Handler(_QuietHandler):
            def do_GET(self):
                requests.append(self.path)
                super().do_GET()

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.requests = requests
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    """serve(folder) -> StaticServer; every server is shut down after the test."""
    servers: list[StaticServer] = []

    def start(root: Path = REPO) -> StaticServer:
        server = StaticServer(Path(root))
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="module")
def site_server():
    """One StaticServer on the repository for a whole test module (module-scoped page fixtures)."""
    server = StaticServer(REPO)
    yield server
    server.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
