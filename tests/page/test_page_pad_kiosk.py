"""A pad and a display in two browser contexts (as a tablet and a big screen would be),
through the real kiosk server on 127.0.0.1: the display shows the pad's QR code, the pad's
strokes make the display predict the pad's digit, a second pad is refused while the first
draws, and malformed, oversized and flooding requests leave the display working."""

from __future__ import annotations

import io
import sys

import numpy as np
import pytest
import zxingcpp
from page_helpers import REPO, TEST_CONTEXT, draw_digit, first_of_each_class, mnist_test_set, open_page
from PIL import Image
from test_page_pad_roles import wait_for_guess

sys.path.insert(0, str(REPO / "tests" / "kiosk"))  # the kiosk server's test client
from relay_client import KioskProcess, post, stats  # noqa: E402

pytestmark = pytest.mark.browser

ROOM = "W3XY7Z"
BUSY = "409"  # Chromium logs the refused request of a busy pad as a console error: expected there only


def new_page(browser, width: int, height: int):
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": width, "height": height})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    return page


@pytest.fixture(scope="module")
def kiosk():
    server = KioskProcess()
    yield server
    server.close()


def test_a_pad_in_another_browser_context_draws_for_the_display(browser, kiosk, mnist_dir, artifacts_dir):
    images, labels = mnist_test_set(mnist_dir)
    display = new_page(browser, 1440, 900)
    pad = new_page(browser, 390, 844)  # a phone
    other = new_page(browser, 768, 1024)  # a tablet that comes second
    try:
        open_page(display, f"{kiosk.url}/?role=display&room={ROOM}")
        display.wait_for_function("document.querySelector('#pad-link-status').textContent.startsWith('Connected')")
        assert display.is_visible("#pad-qr") and int(display.get_attribute("#pad-qr", "data-modules")) >= 25
        assert display.text_content("#pad-url") == f"{kiosk.url}/?role=pad&room={ROOM}"
        display.locator("#pad-invite").screenshot(path=str(artifacts_dir / "pad-kiosk-invite.png"))
        # The QR code as the screen shows it, read by an independent decoder: the pad's address.
        shown = np.asarray(Image.open(io.BytesIO(display.locator("#pad-qr").screenshot())).convert("L"))
        codes = zxingcpp.read_barcodes(shown)
        assert [(code.format, code.text) for code in codes] == [
            (zxingcpp.BarcodeFormat.QRCode, display.text_content("#pad-url"))
        ]

        open_page(pad, display.text_content("#pad-url"))
        pairs = []
        for index in first_of_each_class(labels)[5:8]:
            draw_digit(pad, images[index])
            pairs.append(wait_for_guess(pad, display))
        print(f"(pad, display) guesses through the relay: {pairs}")
        assert all(a == b for a, b in pairs) and [a for a, _ in pairs] == ["5", "6", "7"], pairs
        assert "room W3XY7Z" in pad.text_content("#pad-status")

        # A second pad while the first one draws: told the room is busy; the display is unmoved.
        shown = display.evaluate("document.body.dataset.padSeq")
        open_page(other, f"{kiosk.url}/?role=pad&room={ROOM}")
        other.wait_for_function("document.querySelector('#pad-status').dataset.status === 'busy'")
        assert "Another pad" in other.text_content("#pad-status")
        draw_digit(other, images[first_of_each_class(labels)[1]])
        other.wait_for_timeout(300)
        assert display.evaluate("document.body.dataset.padSeq") == shown
        assert other.errors and all(BUSY in error for error in other.errors), other.errors

        # Junk at the relay, from outside the browsers: dropped and counted.
        token = ""
        assert post(kiosk.port, ROOM, b"{junk", token)[0] in (400, 409)
        assert post(kiosk.port, ROOM, b"", token, length=10**6)[0] == 413
        flood = [post(kiosk.port, ROOM, b"[]", token)[0] for _ in range(300)]
        counts = stats(kiosk.port, ROOM)
        assert flood.count(429) > 50 and counts["ratelimited"] >= flood.count(429)
        assert counts["oversized"] == 1 and counts["busy"] >= 1 and counts["malformed"] + counts["busy"] >= 2
        assert counts["relayed"] >= 3 and counts["displays"] == 1

        # The first pad draws on (its updates wait out the rate limit): the display follows.
        draw_digit(pad, images[first_of_each_class(labels)[3]])
        assert wait_for_guess(pad, display) == ("3", "3")
        display.screenshot(path=str(artifacts_dir / "pad-kiosk-display.png"))
        pad.screenshot(path=str(artifacts_dir / "pad-kiosk-phone.png"))

        # The phone's browser reloads the pad: it is still the room's pad, not a busy second one.
        open_page(pad, pad.url)
        draw_digit(pad, images[first_of_each_class(labels)[2]])
        assert wait_for_guess(pad, display) == ("2", "2")
        assert pad.get_attribute("#pad-status", "data-status") in ("relay", "slow")
        assert display.errors == [], display.errors
        assert all("429" in error for error in pad.errors), pad.errors
    finally:
        for page in (display, pad, other):
            page.context.close()
