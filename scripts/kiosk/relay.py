"""The relay: rooms that a display opens (GET /relay/ROOM/events, Server-Sent Events) and
one pad at a time feeds (POST /relay/ROOM). A pad's first accepted update gets a token; while
that pad has sent something within PAD_IDLE_S, an update without its token is refused (the
room is busy). Whatever is dropped is counted per room (GET /relay/ROOM/stats)."""

from __future__ import annotations

import contextlib
import queue
import secrets
import threading
import time
from dataclasses import dataclass, field

from .pad_update import BadUpdate, check_update

PAD_IDLE_S = 10.0  # a pad silent this long frees its room for another
MAX_ROOMS = 32
MAX_DISPLAYS = 64  # event streams over all rooms
MAX_DISPLAYS_PER_ROOM = 4
QUEUE_SIZE = 8  # updates waiting for a slow display; each is a whole picture, so old ones can go

COUNTS = ("relayed", "malformed", "oversized", "stale", "busy", "ratelimited")


@dataclass
class Room:
    displays: set = field(default_factory=set)  # one queue per event stream
    token: str = ""
    last_pad_at: float = -1e9
    session: str = ""
    seq: int = 0
    last: str = ""  # the last update relayed, for a display that connects later
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))


class Full(Exception):
    """Too many rooms or event streams."""


class Refusal(Exception):
    """An update dropped: `status` for the pad, `count` names the counter."""

    def __init__(self, status: int, count: str, reason: str):
        super().__init__(reason)
        self.status = status
        self.count = count


class Relay:
    def __init__(self, clock=time.monotonic):
        self.rooms: dict[str, Room] = {}
        self.displays = 0
        self.lock = threading.Lock()
        self.clock = clock

    def open_display(self, code: str) -> tuple[queue.Queue, str]:
        """A new event stream's queue for room `code` (made if new) and the last update, or Full."""
        with self.lock:
            room = self.rooms.get(code)
            if room is None and len(self.rooms) >= MAX_ROOMS:
                raise Full("too many rooms")
            if self.displays >= MAX_DISPLAYS or (room and len(room.displays) >= MAX_DISPLAYS_PER_ROOM):
                raise Full("too many displays")
            room = self.rooms.setdefault(code, Room())
            stream = queue.Queue(QUEUE_SIZE)
            room.displays.add(stream)
            self.displays += 1
            return stream, room.last

    def close_display(self, code: str, stream: queue.Queue) -> None:
        with self.lock:
            room = self.rooms.get(code)
            if room is None or stream not in room.displays:
                return
            room.displays.discard(stream)
            self.displays -= 1
            if not room.displays:
                del self.rooms[code]  # a room lives as long as a display shows it

    def count(self, code: str, name: str) -> bool:
        """Counts a dropped request for room `code`; False when there is no such room."""
        with self.lock:
            room = self.rooms.get(code)
            if room:
                room.counts[name] += 1
            return room is not None

    def has_room(self, code: str) -> bool:
        with self.lock:
            return code in self.rooms

    def check_pad(self, code: str, token: str) -> None:
        """Refusal(409) when another pad holds the room (checked before the body is read)."""
        with self.lock:
            room = self.rooms.get(code)
            if room and self._held_by_other(room, token):
                room.counts["busy"] += 1
                raise Refusal(409, "busy", "another pad draws in this room")

    def _held_by_other(self, room: Room, token: str) -> bool:
        return bool(room.token) and token != room.token and self.clock() - room.last_pad_at < PAD_IDLE_S

    def post(self, code: str, token: str, body: bytes) -> str:
        """Relays the update in `body` to the room's displays; returns the pad's token, or Refusal."""
        try:
            message = check_update(body, code)
        except BadUpdate as error:
            if not self.count(code, "malformed"):
                raise Refusal(404, "", "no such room") from None
            raise Refusal(400, "malformed", str(error)) from None
        text = body.decode("utf-8")
        with self.lock:
            room = self.rooms.get(code)
            if room is None:
                raise Refusal(404, "", "no such room")
            if self._held_by_other(room, token):
                room.counts["busy"] += 1
                raise Refusal(409, "busy", "another pad draws in this room")
            if not token or token != room.token:  # a new pad (the room was free, or its pad went quiet)
                room.token = secrets.token_urlsafe(16)
                room.session, room.seq = "", 0
            if message["session"] == room.session and message["seq"] <= room.seq:
                room.counts["stale"] += 1
                raise Refusal(400, "stale", "seq is not newer than the last one")
            room.session, room.seq = message["session"], message["seq"]
            room.last_pad_at = self.clock()
            room.last = text
            room.counts["relayed"] += 1
            for stream in room.displays:
                _put_newest(stream, text)
            return room.token

    def stats(self, code: str) -> dict | None:
        with self.lock:
            room = self.rooms.get(code)
            if room is None:
                return None
            pad = bool(room.token) and self.clock() - room.last_pad_at < PAD_IDLE_S
            return {"room": code, "displays": len(room.displays), "pad": pad, **room.counts}


def _put_newest(stream: queue.Queue, text: str) -> None:
    """Queues `text` for a display, dropping its oldest waiting update when it is behind."""
    while True:
        try:
            stream.put_nowait(text)
            return
        except queue.Full:
            with contextlib.suppress(queue.Empty):
                stream.get_nowait()
