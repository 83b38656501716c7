"""A small client of the kiosk server for the tests and benchmarks/pad_latency.py: starts
the real scripts/kiosk_server.py, posts raw requests with http.client and reads a room's
event stream."""

from __future__ import annotations

import base64
import http.client
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def pad_update(room: str, seq: int, session: str = "0123abcd", pixels: bytes | None = b"\x80" * 784) -> dict:
    return {
        "type": "pad",
        "room": room,
        "session": session,
        "seq": seq,
        "pixels": None if pixels is None else base64.b64encode(pixels).decode(),
        "sentAt": time.time() * 1000,
    }


def post(port: int, room: str, body: bytes | dict, token: str = "", length: int | None = None) -> tuple[int, dict]:
    """POST /relay/ROOM; `length` overrides Content-Length (the body is then not sent at all)."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("POST", f"/relay/{room}")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("X-Pad-Token", token)
    connection.putheader("Content-Length", str(len(body) if length is None else length))
    connection.endheaders(body if length is None else None)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, (json.loads(payload) if payload.startswith(b"{") else {})


def stats(port: int, room: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/relay/{room}/stats")
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    assert response.status == 200, (response.status, payload)
    return json.loads(payload)


class EventStream:
    """GET /relay/ROOM/events, read event by event."""

    def __init__(self, port: int, room: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        self.connection.request("GET", f"/relay/{room}/events")
        self.response = self.connection.getresponse()
        self.status = self.response.status
        self.type = self.response.getheader("Content-Type")

    def next_data(self) -> str:
        """The next `data:` line's text (comments and the retry line are skipped)."""
        while True:
            line = self.response.fp.readline().decode()
            if not line:
                raise EOFError("the event stream ended")
            if line.startswith("data: "):
                return line[len("data: ") :].rstrip("\n")

    def close(self):
        self.response.close()  # the response holds the socket open too
        self.connection.close()


class KioskProcess:
    """scripts/kiosk_server.py --port 0 as a subprocess: .url, .port, .lines (what it printed)."""

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
