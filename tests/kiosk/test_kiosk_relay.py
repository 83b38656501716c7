"""The relay over real HTTP: a display's event stream gets the pad's updates; one pad per
room; oversized bodies are refused unread, malformed and stale ones dropped, floods rate
limited, each counted in the room's stats; and the room keeps relaying afterwards."""

from __future__ import annotations

import json
import time

from relay_client import EventStream, pad_update, post, stats

ROOM = "HJ2K9P"


def test_updates_reach_the_display_and_abuse_is_dropped_and_counted(kiosk):
    assert post(kiosk.port, ROOM, pad_update(ROOM, 1))[0] == 404, "no display has opened the room yet"
    events = EventStream(kiosk.port, ROOM)
    try:
        assert events.status == 200 and events.type == "text/event-stream"
        status, answer = post(kiosk.port, ROOM, pad_update(ROOM, 1))
        token = answer["token"]
        assert status == 200 and len(token) >= 16
        assert json.loads(events.next_data())["seq"] == 1
        status, answer = post(kiosk.port, ROOM, pad_update(ROOM, 2, pixels=None), token)
        assert (status, answer["token"]) == (200, token)
        assert json.loads(events.next_data())["pixels"] is None

        # A second pad while the first draws: the room is busy.
        assert post(kiosk.port, ROOM, pad_update(ROOM, 1, session="ffff0000"))[0] == 409
        # Oversized: refused from its Content-Length, before a byte of it is read.
        assert post(kiosk.port, ROOM, b"", token, length=1_000_000)[0] == 413
        assert post(kiosk.port, ROOM, b"x" * 5000, token)[0] == 413
        # Malformed: not JSON, a wrong size, another room; and a stale seq.
        assert post(kiosk.port, ROOM, b"{not json", token)[0] == 400
        assert post(kiosk.port, ROOM, pad_update(ROOM, 3, pixels=b"\0" * 783), token)[0] == 400
        assert post(kiosk.port, ROOM, pad_update("ABCDEF", 3), token)[0] == 400
        assert post(kiosk.port, ROOM, pad_update(ROOM, 2), token)[0] == 400
        # A flood from one client: the bucket runs dry.
        statuses = [post(kiosk.port, ROOM, pad_update(ROOM, seq), token)[0] for seq in range(3, 403)]
        limited = statuses.count(429)
        assert limited > 100 and set(statuses) == {200, 429}, sorted(set(statuses))
        counts = stats(kiosk.port, ROOM)
        relayed = 2 + statuses.count(200)
        assert counts == {
            "room": ROOM,
            "displays": 1,
            "pad": True,
            "relayed": relayed,
            "malformed": 3,
            "oversized": 2,
            "stale": 1,
            "busy": 1,
            "ratelimited": limited,
        }
        # The display got the relayed updates in order (a slow one may miss some, never reorder).
        seqs = []
        while not seqs or seqs[-1] < 402 and statuses[seqs[-1] - 3 :].count(200) > 0:
            seqs.append(json.loads(events.next_data())["seq"])
            if seqs[-1] == max(seq for seq, s in zip(range(3, 403), statuses) if s == 200):
                break
        assert seqs == sorted(seqs)
        # The bucket refills: the pad goes on, and the display gets it.
        time.sleep(2.5)
        assert post(kiosk.port, ROOM, pad_update(ROOM, 500), token)[0] == 200
        assert json.loads(events.next_data())["seq"] == 500
    finally:
        events.close()


def test_a_display_connecting_later_gets_the_last_picture_and_rooms_close_with_their_displays(kiosk):
    room = "QRS234"
    first = EventStream(kiosk.port, room)
    status, answer = post(kiosk.port, room, pad_update(room, 7))
    assert status == 200
    second = EventStream(kiosk.port, room)
    assert json.loads(second.next_data())["seq"] == 7
    assert stats(kiosk.port, room)["displays"] == 2
    first.close()
    second.close()
    # The server notices a closed stream when writing to it fails (an update, or a keepalive).
    for seq in range(8, 108):
        time.sleep(0.1)
        if post(kiosk.port, room, pad_update(room, seq), answer["token"])[0] == 404:
            break
    else:
        raise AssertionError("the room outlived its displays")


def test_bad_room_codes_are_refused(kiosk):
    for room in ["abc", "HJ2K9P0", "hj2k9p", "HJ2K1P", ""]:
        events = EventStream(kiosk.port, room)
        assert events.status == 404, room
        events.close()
        assert post(kiosk.port, room, pad_update(room, 1))[0] == 404, room
