"""The timeline against the real HTTP server's request log: moving it fetches
only the snapshot asked for (plus its prefetched neighbours), updates the
probabilities and data-snapshot, uses the cache when it can, and a fast drag
from end to end ends on the right snapshot without disabling the control."""

from __future__ import annotations

import re
import time

import pytest
from page_helpers import REPO, manifest, open_page, wait_for_prediction, wait_for_snapshot

pytestmark = pytest.mark.browser


def snapshot_requests(paths: list[str]) -> list[str]:
    """Timeline snapshot files requested (NNN_id.safetensors, or NNN_id.<hash>.safetensors), in order."""
    names = [path.rsplit("/", 1)[-1] for path in paths]
    return [name for name in names if re.fullmatch(r"\d{3}_\w+(\.[0-9a-f]{8})?\.safetensors", name)]


def settle(server, quiet: float = 0.4, timeout: float = 10) -> None:
    """Wait until the server has seen no request for `quiet` seconds (prefetches done)."""
    deadline = time.time() + timeout
    count = -1
    while time.time() < deadline:
        if len(server.requests) == count:
            return
        count = len(server.requests)
        time.sleep(quiet)


def bars(page) -> list[str]:
    return page.locator(".bar-value").all_inner_texts()


def dot_on_sparkline(page) -> tuple[float, float]:
    """Where the shown snapshot's dot is, over the sparkline (its centre, in the canvas's CSS pixels)."""
    return tuple(
        page.evaluate("""() => {
        const line = document.querySelector('#timeline-sparkline').getBoundingClientRect();
        const dot = document.querySelector('.timeline-dot').getBoundingClientRect();
        return [dot.x + dot.width / 2 - line.x, dot.y + dot.height / 2 - line.y];
    }""")
    )


def sparkline_point(page, timeline: list[dict], index: int) -> tuple[float, float]:
    """Snapshot `index`'s point on the sparkline: x under the range thumb, y its test accuracy."""
    width, height = page.evaluate(
        "() => { const c = document.querySelector('#timeline-sparkline'); return [c.clientWidth, c.clientHeight]; }"
    )
    x = 8 + index / (len(timeline) - 1) * (width - 16)
    return x, height - 4 - timeline[index]["metrics"]["test_accuracy"] * (height - 8)


def test_scrubbing_fetches_only_the_new_snapshot_and_updates_the_guess(page, serve, artifacts_dir):
    timeline = manifest()["timeline"]
    file = lambda i: timeline[i]["file"].rsplit("/", 1)[-1]  # noqa: E731
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-4")
    wait_for_prediction(page)
    settle(server)
    assert snapshot_requests(server.requests) == [file(-1)], "only the snapshot shown, until the timeline is used"
    trained = bars(page)
    page.focus("#timeline")  # reaching for the timeline prefetches the shown snapshot's neighbour
    settle(server)
    assert snapshot_requests(server.requests) == [file(-1), file(-2)]

    mark = len(server.requests)
    page.keyboard.press("Home")
    wait_for_snapshot(page, "init")
    settle(server)
    fetched = server.requests[mark:]
    assert snapshot_requests(fetched) == [file(0), file(1)], f"exactly the new snapshot (then its neighbour): {fetched}"
    assert all(path.endswith(".safetensors") for path in fetched), fetched
    assert page.get_attribute("#timeline-bar", "data-snapshot") == "init"
    assert bars(page) != trained, "the untrained network guesses differently"
    assert page.inner_text("#timeline-label").startswith("0 ")
    accuracy = page.inner_text("#timeline-accuracy")
    assert accuracy == f"{timeline[0]['metrics']['test_accuracy'] * 100:.1f} %"

    mark = len(server.requests)
    page.keyboard.press("ArrowRight")  # snapshot 1 was prefetched: no download
    wait_for_snapshot(page, timeline[1]["id"])
    settle(server)
    assert snapshot_requests(server.requests[mark:]) == [file(2)], "only the next neighbour is prefetched"
    # The sparkline marks the snapshot shown (a dot moved over it: a step repaints nothing else).
    for axis, (at, expected) in enumerate(zip(dot_on_sparkline(page), sparkline_point(page, timeline, 1))):
        assert abs(at - expected) < 0.75, f"the dot's {'xy'[axis]} is {at}, the snapshot's point {expected}"
    page.screenshot(path=str(artifacts_dir / "page-timeline-early.png"))
    assert page.errors == []


def test_a_fast_drag_end_to_end_shows_the_newest_snapshot(page, serve):
    timeline = manifest()["timeline"]
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-9")
    wait_for_prediction(page)
    # One input event per snapshot, back and forth, as fast as the page takes them.
    disabled = page.evaluate(
        """(last) => {
        const range = document.querySelector('#timeline');
        let disabled = false;
        for (const index of [...Array(last + 1).keys()].reverse().concat([...Array(last + 1).keys()])) {
            range.value = String(index);
            range.dispatchEvent(new Event('input', { bubbles: true }));
            disabled ||= range.disabled;
        }
        return disabled;
    }""",
        len(timeline) - 1,
    )
    assert not disabled
    wait_for_snapshot(page, timeline[-1]["id"])
    time.sleep(1.0)  # late answers for earlier positions must not replace it
    assert page.get_attribute("#prediction", "data-snapshot") == timeline[-1]["id"]
    assert page.inner_text("#timeline-status") == ""
    assert page.errors == []


def test_play_steps_through_the_timeline(page, serve):
    timeline = manifest()["timeline"]
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.focus("#timeline")
    page.keyboard.press("Home")
    wait_for_snapshot(page, "init")
    page.click("#play")
    wait_for_snapshot(page, timeline[2]["id"], timeout=10_000)
    page.click("#play")
    assert page.get_attribute("#play", "aria-pressed") == "false"
    assert page.errors == []
