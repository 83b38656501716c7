"""The pad update format, checked exactly as the page checks it (assets/js/data/pad-message.js;
tests/fixtures/pad_updates.json holds the cases both must agree on)."""

from __future__ import annotations

import base64
import binascii
import json
import math
import re

PAD_PIXELS = 28 * 28
MAX_UPDATE_BYTES = 4096
ROOM_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROOM_PATTERN = re.compile(f"[{ROOM_ALPHABET}]{{6}}")
SESSION_PATTERN = re.compile(r"[0-9a-f]{8,32}")
BASE64_LENGTH = -(-PAD_PIXELS // 3) * 4
BASE64_PATTERN = re.compile(r"[A-Za-z0-9+/]*={0,2}")
KEYS = {"type", "room", "session", "seq", "pixels", "sentAt"}
MAX_SEQ = 2**53 - 1  # JavaScript's largest safe integer


class BadUpdate(ValueError):
    pass


def _no_constants(name: str):
    raise BadUpdate(f"{name} is not JSON")


def is_room(text: str) -> bool:
    return ROOM_PATTERN.fullmatch(text) is not None


def check_update(body: bytes, room: str) -> dict:
    """The update in `body` (JSON bytes) for `room`, as a dict; BadUpdate says what is wrong."""
    if len(body) > MAX_UPDATE_BYTES:
        raise BadUpdate(f"longer than {MAX_UPDATE_BYTES} bytes")
    try:
        message = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BadUpdate("not JSON") from None
    if not isinstance(message, dict):
        raise BadUpdate("not a JSON object")
    if set(message) != KEYS:
        raise BadUpdate(f"fields must be exactly {', '.join(sorted(KEYS))}")
    if message["type"] != "pad":
        raise BadUpdate("type is not pad")
    if message["room"] != room:
        raise BadUpdate("for another room")
    session = message["session"]
    if not isinstance(session, str) or not SESSION_PATTERN.fullmatch(session):
        raise BadUpdate("bad session")
    seq = message["seq"]
    if type(seq) is float and seq.is_integer():
        seq = message["seq"] = int(seq)  # JSON has one kind of number: 3.0 is 3, as the page reads it
    if type(seq) is not int or not 1 <= seq <= MAX_SEQ:
        raise BadUpdate("seq is not a positive integer")
    sent_at = message["sentAt"]
    if type(sent_at) not in (int, float) or not math.isfinite(sent_at) or sent_at < 0:
        raise BadUpdate("bad sentAt")
    pixels = message["pixels"]
    if pixels is not None:
        if not isinstance(pixels, str) or len(pixels) != BASE64_LENGTH or not BASE64_PATTERN.fullmatch(pixels):
            raise BadUpdate(f"pixels must be base64 of {PAD_PIXELS} bytes or null")
        try:
            size = len(base64.b64decode(pixels, validate=True))
        except (binascii.Error, ValueError):
            size = -1
        if size != PAD_PIXELS:
            raise BadUpdate(f"pixels must be base64 of {PAD_PIXELS} bytes or null")
    return message
