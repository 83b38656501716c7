"""The relay's checks without a network: the pad update format on the cases the page's own
tests share (tests/fixtures/pad_updates.json), the token bucket and the one-pad-per-room rule
on a clock the test moves."""

from __future__ import annotations

import json

import pytest
from conftest import REPO
from kiosk.pad_update import BadUpdate, check_update
from kiosk.rate_limit import RateLimiter
from kiosk.relay import PAD_IDLE_S, Refusal, Relay

FIXTURE = json.loads((REPO / "tests" / "fixtures" / "pad_updates.json").read_text())
ROOM = FIXTURE["room"]


def test_the_shared_valid_updates_pass():
    for message in FIXTURE["valid"]:
        assert check_update(json.dumps(message).encode(), ROOM)["seq"] == message["seq"]


@pytest.mark.parametrize("case", FIXTURE["invalid"], ids=lambda case: case["why"])
def test_the_shared_invalid_updates_are_refused(case):
    with pytest.raises(BadUpdate):
        check_update(json.dumps(case["message"]).encode(), ROOM)


@pytest.mark.parametrize(
    "body",
    [b"{", b"\xff\xfe", b'{"seq": NaN}', b"[" * 5000, b" " * 4097],
    ids=["cut", "not utf-8", "NaN", "deep", "too long"],
)
def test_broken_bodies_are_refused(body):
    with pytest.raises(BadUpdate):
        check_update(body, ROOM)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_token_bucket_allows_its_burst_then_its_rate():
    clock = Clock()
    limiter = RateLimiter(rate=10, burst=5, clock=clock)
    assert [limiter.allow("a") for _ in range(7)] == [True] * 5 + [False] * 2
    assert limiter.allow("b"), "each client has its own bucket"
    clock.now += 0.25  # 2.5 tokens back
    assert [limiter.allow("a") for _ in range(3)] == [True, True, False]
    clock.now += 60
    assert [limiter.allow("a") for _ in range(6)] == [True] * 5 + [False], "never more than the burst"


def test_the_bucket_table_is_bounded_and_forgets_idle_clients_first():
    clock = Clock()
    limiter = RateLimiter(rate=1, burst=2, max_clients=3, clock=clock)
    for client in "abc":
        assert limiter.allow(client)
    assert not limiter.allow("d"), "full of busy clients: a new one waits"
    clock.now += 5  # every bucket refilled: they are idle
    assert limiter.allow("d") and len(limiter.buckets) == 1


def update(seq: int, session: str = "0123abcd") -> bytes:
    return json.dumps({**FIXTURE["valid"][0], "seq": seq, "session": session}).encode()


def test_one_pad_per_room_until_it_goes_quiet():
    clock = Clock()
    relay = Relay(clock=clock)
    stream, last = relay.open_display(ROOM)
    assert last == ""
    first = relay.post(ROOM, "", update(1))
    assert stream.get_nowait() == update(1).decode()
    assert relay.post(ROOM, first, update(2)) == first
    with pytest.raises(Refusal) as refused:
        relay.post(ROOM, "", update(1, "ffffffff"))
    assert refused.value.status == 409
    with pytest.raises(Refusal) as refused:
        relay.post(ROOM, first, update(2))
    assert refused.value.count == "stale"
    clock.now += PAD_IDLE_S + 0.1
    second = relay.post(ROOM, "", update(1, "ffffffff"))
    assert second != first
    with pytest.raises(Refusal):
        relay.post(ROOM, first, update(3)), "the first pad lost the room"
    assert relay.stats(ROOM) == {
        "room": ROOM,
        "displays": 1,
        "pad": True,
        "relayed": 3,
        "malformed": 0,
        "oversized": 0,
        "stale": 1,
        "busy": 2,
        "ratelimited": 0,
    }
    relay.close_display(ROOM, stream)
    assert relay.stats(ROOM) is None, "the room closes with its last display"
