"""The kiosk server's tests: the real scripts/kiosk_server.py started as a subprocess on a
free port of 127.0.0.1, and its modules (scripts/kiosk/) for the unit tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from relay_client import KioskProcess  # noqa: E402


@pytest.fixture(scope="module")
def kiosk():
    """A running kiosk server (one per test module): .url, .port, .lines (what it printed)."""
    server = KioskProcess()
    yield server
    server.close()
