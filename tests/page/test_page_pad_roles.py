"""?role=pad and ?role=display in two windows of one browser, under a plain static server
(no relay): the pad's strokes reach the display through a BroadcastChannel and the display
predicts the digit the pad predicts; the pad window builds no 3D view."""

from __future__ import annotations

import pytest
from page_helpers import REPO, TEST_CONTEXT, draw_digit, first_of_each_class, mnist_test_set, open_page

pytestmark = pytest.mark.browser

ROOM = "K7QX2M"
RELAY_MISSING = (
    "Failed to load resource"  # never expected: the page asks for the relay with a HEAD that always succeeds
)


def pad_and_display(browser, base_url: str, room: str = ROOM, contexts: int = 1):
    """(pad page, display page), both ready, in one browser context or in two."""
    first = browser.new_context(**TEST_CONTEXT, viewport={"width": 800, "height": 900})
    second = first if contexts == 1 else browser.new_context(**TEST_CONTEXT, viewport={"width": 1440, "height": 900})
    display = second.new_page()
    pad = first.new_page()
    for page in (display, pad):
        page.errors = []
        page.on("console", lambda msg, page=page: page.errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc, page=page: page.errors.append(str(exc)))
    open_page(display, f"{base_url}/?role=display&room={room}")
    open_page(pad, f"{base_url}/?role=pad&room={room}")
    return pad, display


def wait_for_guess(pad, display) -> tuple[str, str]:
    """Both pages' guesses once the display shows the pad's last update."""
    pad.wait_for_function("document.querySelector('#prediction').dataset.prediction !== ''", timeout=10_000)
    # The pad sends once per frame: after two quiet frames its last update is sent.
    pad.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    sent = pad.evaluate("document.body.dataset.padSeq")
    display.wait_for_function(f"document.body.dataset.padSeq === '{sent}'", timeout=10_000)
    return pad.get_attribute("#prediction", "data-prediction"), display.get_attribute("#prediction", "data-prediction")


def test_strokes_on_the_pad_window_make_the_display_predict_the_same_digits(browser, serve, mnist_dir, artifacts_dir):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    pad, display = pad_and_display(browser, server.url)
    try:
        assert pad.evaluate("document.body.dataset.role") == "pad"
        assert display.evaluate("document.body.dataset.role") == "display"
        # The pad window has no 3D view: its canvas never got a WebGL context, and is not shown.
        assert pad.evaluate("document.querySelector('#network').getContext('2d') !== null"), (
            "no WebGL context was taken"
        )
        assert not pad.is_visible("#network") and not pad.is_visible("#timeline-bar")
        assert pad.is_visible("#draw-pad") and pad.is_visible("#prediction") and pad.is_visible("#digit-7")
        assert display.is_visible("#network") and display.get_attribute("#pad-invite", "data-room") == ROOM
        assert "no relay" in display.text_content("#pad-link-status").lower()
        assert "no relay" in pad.text_content("#pad-status").lower()
        pairs = []
        for index in first_of_each_class(labels)[:4]:
            draw_digit(pad, images[index])
            pairs.append(wait_for_guess(pad, display))
        pad.screenshot(path=str(artifacts_dir / "pad-role-pad.png"))
        display.screenshot(path=str(artifacts_dir / "pad-role-display.png"))
        print(f"(pad, display) guesses: {pairs}")
        assert all(a == b for a, b in pairs), pairs
        assert [int(a) for a, _ in pairs] == [int(labels[i]) for i in first_of_each_class(labels)[:4]]
        # A real test digit from the pad's buttons, then Clear: the display follows both.
        pad.click("#digit-6")
        assert wait_for_guess(pad, display) == ("6", "6")
        pad.click("#clear")
        display.wait_for_function("document.querySelector('#prediction').dataset.prediction === ''", timeout=10_000)
        # The display's own pad takes no strokes.
        box = display.locator("#draw-pad").bounding_box()
        display.mouse.move(box["x"] + 50, box["y"] + 50)
        display.mouse.down()
        display.mouse.move(box["x"] + 150, box["y"] + 150)
        display.mouse.up()
        display.wait_for_timeout(200)
        assert display.get_attribute("#prediction", "data-prediction") == ""
        assert pad.errors == [] and display.errors == []
    finally:
        pad.context.close()


def test_a_display_without_a_room_makes_one_and_a_pad_without_one_says_so(page, serve):
    server = serve(REPO)
    open_page(page, f"{server.url}/?role=display")
    room = page.get_attribute("#pad-invite", "data-room")
    assert len(room) == 6 and room.isalnum(), room
    assert page.text_content("#pad-url").endswith(f"/?role=pad&room={room}")
    assert page.is_hidden("#pad-qr"), "no QR code where no other device can reach the pad"
    open_page(page, f"{server.url}/?role=pad&room=not-a-room")
    assert "no room" in page.text_content("#pad-status").lower()
    # In German, every word of the pad and of the invitation (tests/page/test_page_german.py checks the rest).
    open_page(page, f"{server.url}/?role=pad&room=not-a-room&lang=de")
    assert (
        page.text_content("#pad-status")
        == "Dieses Zeichenfeld hat keinen Raum: über die Adresse öffnen, die eine Anzeige zeigt."
    )
    open_page(page, f"{server.url}/?role=display&room={ROOM}&lang=de")
    assert page.text_content("#pad-invite h2") == "Auf einem Tablet oder Handy zeichnen"
    assert page.text_content("#pad-link-status").startswith("Dieser Server leitet nichts weiter")
    assert page.text_content("#pad-url").endswith(f"/?role=pad&room={ROOM}&lang=de"), "the pad keeps the language"
    assert page.errors == []
