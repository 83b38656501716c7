"""The HTTP side of the kiosk server: one ThreadingHTTPServer with a bounded number of
connections, socket timeouts, the site's files at / and the relay under /relay/."""

from __future__ import annotations

import argparse
import json
import queue
import shutil
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .pad_update import MAX_UPDATE_BYTES, is_room
from .rate_limit import RateLimiter
from .relay import Full, Refusal, Relay
from .site_files import Refused, content_type, site_file

REPO = Path(__file__).resolve().parents[2]
RELAY_HEADER = "X-Kiosk-Relay"  # the page's data/pad-transport.js looks for it
TOKEN_HEADER = "X-Pad-Token"
SOCKET_TIMEOUT_S = 10.0
KEEPALIVE_S = 5.0  # an event stream sends a comment this often, so dead displays are noticed
MAX_CONNECTIONS = 128
# A drawing pad sends at most one update per frame and one request at a time.
RATE_PER_S = 60.0
BURST = 120.0


class KioskServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, root: Path):
        self.root = root
        self.relay = Relay()
        self.limiter = RateLimiter(RATE_PER_S, BURST)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.stopping = threading.Event()
        self.unknown_room = 0  # requests for rooms no display has open
        super().__init__(address, Handler)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: refuse the connection rather than queue it
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def shutdown(self):
        self.stopping.set()
        super().shutdown()


class Handler(BaseHTTPRequestHandler):
    server: KioskServer
    timeout = SOCKET_TIMEOUT_S
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "kiosk"

    def setup(self):
        super().setup()
        # Small writes (an event, a reply's headers then its body) go out at once: with Nagle's
        # algorithm each waited for the peer's delayed acknowledgement, tens of milliseconds.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # one line per request would drown the printed URLs
        pass

    def end_headers(self):
        self.send_header(RELAY_HEADER, "1")
        super().end_headers()

    def reply(self, status: int, body: bytes = b"", kind: str = "text/plain; charset=utf-8", close: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def reply_json(self, status: int, value: dict, close: bool = False):
        self.reply(status, json.dumps(value).encode(), "application/json", close)

    def refuse(self, status: int, close: bool = False):
        # The status's own phrase only: never a path, never the reason on the server's side.
        self.reply(status, f"{status} {HTTPStatus(status).phrase}\n".encode(), close=close)

    def relay_path(self) -> tuple[str, str] | None:
        """(room, what) for /relay/ROOM[/what], else None."""
        parts = urlsplit(self.path).path.split("/")
        if len(parts) in (3, 4) and parts[0] == "" and parts[1] == "relay":
            return parts[2], (parts[3] if len(parts) == 4 else "")
        return None

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        relay = self.relay_path()
        if relay:
            room, what = relay
            if not is_room(room):
                self.refuse(404)
            elif what == "events" and self.command == "GET":
                self.stream_events(room)
            elif what == "stats":
                stats = self.server.relay.stats(room)
                self.reply_json(200, stats) if stats else self.refuse(404)
            else:
                self.refuse(404)
            return
        try:
            path = site_file(self.server.root, self.path)
        except Refused as refused:
            self.refuse(refused.status)
            return
        with path.open("rb") as file:
            size = path.stat().st_size
            self.send_response(200)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(file, self.wfile)

    def do_POST(self):
        relay = self.relay_path()
        if not relay or relay[1] != "" or not is_room(relay[0]):
            self.refuse(404, close=True)
            return
        room = relay[0]
        server = self.server
        if not server.relay.has_room(room):
            server.unknown_room += 1
            self.reply_json(404, {"error": "no display has this room open"}, close=True)
            return
        if not server.limiter.allow(self.client_address[0]):
            server.relay.count(room, "ratelimited")
            self.reply_json(429, {"error": "too many updates"}, close=True)
            return
        length = self.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > MAX_UPDATE_BYTES:
            # Refused unread: a body this size is no pad update, whatever it holds.
            server.relay.count(room, "oversized")
            self.reply_json(413, {"error": f"an update has at most {MAX_UPDATE_BYTES} bytes"}, close=True)
            return
        token = self.headers.get(TOKEN_HEADER, "")
        try:
            server.relay.check_pad(room, token)
            body = self.rfile.read(int(length))
            token = server.relay.post(room, token, body)
        except Refusal as refusal:
            self.reply_json(refusal.status, {"error": str(refusal)}, close=refusal.status == 409)
            return
        self.reply_json(200, {"token": token})

    def stream_events(self, room: str):
        server = self.server
        if not server.limiter.allow(self.client_address[0]):
            server.relay.count(room, "ratelimited")
            self.refuse(429, close=True)
            return
        try:
            stream, last = server.relay.open_display(room)
        except Full:
            self.refuse(503, close=True)
            return
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.close_connection = True
            self.end_headers()
            self.wfile.write(b"retry: 1000\n\n" + (f"data: {last}\n\n".encode() if last else b""))
            self.wfile.flush()
            while not server.stopping.is_set():
                try:
                    text = stream.get(timeout=KEEPALIVE_S)
                    self.wfile.write(f"data: {text}\n\n".encode())
                except queue.Empty:
                    self.wfile.write(b": keepalive\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the display went away
        finally:
            server.relay.close_display(room, stream)


def lan_address() -> str:
    """This machine's address on its local network, as another device would reach it (best guess)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="kiosk_server.py",
        description="Serve the site and relay a drawing pad (?role=pad) to a display (?role=display).",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (0: any free one); default 8000")
    parser.add_argument(
        "--bind", default="127.0.0.1", help="address to listen on; default 127.0.0.1 (a LAN kiosk: 0.0.0.0 or its own)"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port {args.port}: not a TCP port (0 to 65535)")
    try:
        server = KioskServer((args.bind, args.port), REPO)
    except (OSError, OverflowError) as error:
        print(f"kiosk_server.py: cannot listen on --bind {args.bind} --port {args.port}: {error}", file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    shown = lan_address() if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}/"
    print(f"Serving the site at {base} (listening on {host}:{port})")
    print(f"Display: {base}?role=display")
    print(f"Pad: {base}?role=pad&room=ROOM (the display shows its room, link and QR code)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stopping.set()
        server.server_close()
    return 0
