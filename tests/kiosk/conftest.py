"""The kiosk server's tests: the real scripts/kiosk_server.py started as a subprocess on a
free port of 127.0.0.1, and its modules (scripts/kiosk/) for the unit tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))


class KioskProcess:
    def __init__(self):
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "kiosk_server.py"), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines = [self.process.stdout.readline().strip() for _ in range(3)]
        if not self.lines[0].startswith("Serving the site at http://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"kiosk_server.py did not start: {self.lines} {self.process.stderr.read()}")
        self.url = self.lines[0].split()[4].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1])

    def close(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def kiosk():
    """A running kiosk server (one per test module): .url, .port, .lines (what it printed)."""
    server = KioskProcess()
    yield server
    server.close()
