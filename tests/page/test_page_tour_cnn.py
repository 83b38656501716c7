"""The tour beyond the MLP at a desktop: on the CNN export (its own words, numbers read from
its manifest, each step's part of the network really there), with prefers-reduced-motion
(the camera cuts instead of gliding), on tablets (768×1024, 1024×768: the dialog leaves the
Next button, the pad and the network usable, nothing overflows sideways), and axe-core in
English and German on the MLP and the CNN. Screenshots of each step go to artifacts/."""

from __future__ import annotations

import re

import pytest
from page_helpers import REPO, TEST_CONTEXT, open_page, wait_for_prediction
from test_page_tour import AXE, camera_in_link

pytestmark = pytest.mark.browser

CNN = "/?export=exports/cnn_weights.json"
# id, the stages at full strength in the conv-pool-conv-pool-flatten-64-10 network, the 3D label of its part
CNN_STEPS = [
    ("input", "0", "Input"),
    ("conv", "1", "Conv · 8 maps"),
    ("pool", "2", "Pool · 8 maps"),
    ("conv2", "3,4", "Conv · 16 maps"),
    ("dense", "5,6", "Hidden 6 · 64"),
    ("output", "7", "Output"),
    ("training", "", None),
    ("latent", "6", "Hidden 6 · 64"),
    ("end", "", None),
]


def test_the_tour_on_the_cnn_describes_the_cnn(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + CNN)
    page.click("#digit-2")
    wait_for_prediction(page)
    page.click("#tour-start")
    labels = page.text_content("#network-labels")
    cameras = []
    for number, (step_id, emphasis, part) in enumerate(CNN_STEPS, start=1):
        page.wait_for_function(f"document.querySelector('#tour').dataset.step === '{number}'")
        assert page.get_attribute("#tour", "data-step-id") == step_id
        page.wait_for_function(
            f"document.querySelector('#network').dataset.emphasis === '{emphasis}'"
            f" && document.querySelector('#network').dataset.tourView === '{step_id}'"
        )
        if part:
            assert part in labels, f"{step_id}: the part it shows, {part!r}, is in the 3D view"
        text = page.inner_text("#tour-text")
        assert not re.search(r"[{}]|undefined|NaN", text), text
        assert "128" not in text, "no word of the MLP's 128-neuron layer"
        page.wait_for_function(f"/[#&]tour={number}(&|$)/.test(location.hash)")
        cameras.append(camera_in_link(page))
        page.screenshot(path=str(artifacts_dir / f"tour-cnn-step-{number}-{step_id}.png"))
        page.keyboard.press("Space")
    texts = {}
    for number, (step_id, _, _) in enumerate(CNN_STEPS, start=1):
        # Only the hash changes, so goto does not reload: wait for the page to follow the link.
        page.goto(f"{server.url}{CNN}#tour={number}")
        page.wait_for_function(f"document.querySelector('#tour:not([hidden])')?.dataset.stepId === '{step_id}'")
        texts[step_id] = page.inner_text("#tour-text")
    # The numbers come from the CNN's manifest (training/model.py: 8 then 16 maps of 5×5, pooled 2×2).
    assert "8 small filters of 5 × 5 weights" in texts["conv"]
    assert "28 × 28 picture" in texts["conv"]
    assert "2 × 2 square" in texts["pool"] and "14 × 14" in texts["pool"]
    assert "16 filters looks at all 8 maps" in texts["conv2"] and "7 × 7" in texts["conv2"]
    assert "784 numbers" in texts["dense"] and "64 neurons" in texts["dense"]
    assert "54,314 learned numbers" in texts["end"], texts["end"]
    for before, after, (step_id, _, _) in zip(cameras[:-1], cameras[1:], CNN_STEPS[1:], strict=True):
        assert before != after, f"the camera did not move for {step_id}"
    assert page.errors == []


def label_positions_after_next(page) -> list[str]:
    """The Output label's place on every frame for 1.2 s after Next: the camera's path as drawn."""
    return page.evaluate(
        """() => new Promise((done) => {
          const label = [...document.querySelectorAll('#network-labels .net-label')].find((el) => el.textContent === 'Output');
          const seen = [label.style.transform];
          const start = performance.now();
          const frame = () => {
            seen.push(label.style.transform);
            if (performance.now() - start < 1200) requestAnimationFrame(frame); else done(seen);
          };
          document.querySelector('#tour-next').click();
          requestAnimationFrame(frame);
        })"""
    )


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_cuts_instead_of_flying(browser, serve, motion):
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": 1440, "height": 900}, reduced_motion=motion)
    page = context.new_page()
    try:
        server = serve(REPO)
        open_page(page, server.url + "/#tour=4")
        page.wait_for_selector("#tour:not([hidden])")
        page.wait_for_timeout(1200)  # the opening flight is over
        path = label_positions_after_next(page)
        places = list(dict.fromkeys(path))  # distinct, in order
        assert path[0] != path[-1], "the camera moved to step 5"
        if motion == "reduce":
            assert len(places) == 2, f"a cut: the old place, then the new one ({len(places)} places)"
        else:
            # Software rendering on a busy machine draws only a few frames in the 0.8 s flight.
            assert len(places) >= 3, "without the preference the camera glides: the measurement sees in-between frames"
    finally:
        context.close()


@pytest.mark.parametrize("size", [(768, 1024), (1024, 768)], ids=["portrait", "landscape"])
def test_the_tour_on_a_tablet_leaves_the_page_usable(browser, serve, artifacts_dir, size):
    width, height = size
    context = browser.new_context(**TEST_CONTEXT, viewport={"width": width, "height": height}, has_touch=True)
    page = context.new_page()
    try:
        server = serve(REPO)
        open_page(page, server.url + "/")
        page.click("#tour-start")
        for number in range(1, 10):
            page.wait_for_function(f"document.querySelector('#tour').dataset.step === '{number}'")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"step {number}: the page is {overflow}px wider than the screen"
            card = page.locator("#tour").bounding_box()
            assert card["x"] >= 0 and card["x"] + card["width"] <= width, f"step {number}: the dialog fits across"
            next_button = page.locator("#tour-next")
            next_button.scroll_into_view_if_needed()
            box = next_button.bounding_box()
            at = page.evaluate(
                "([x, y]) => document.elementFromPoint(x, y)?.closest('#tour-next') !== null",
                [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
            )
            assert at, f"step {number}: Next is not covered"
            for target in ("#draw-pad", "#network"):
                page.locator(target).scroll_into_view_if_needed()
                target_box = page.locator(target).bounding_box()
                free = page.evaluate(
                    "([sel, x, y]) => document.elementFromPoint(x, y) === document.querySelector(sel)",
                    [target, target_box["x"] + target_box["width"] / 2, target_box["y"] + target_box["height"] * 0.8],
                )
                assert free, f"step {number}: the tour covers {target}"
            if number == 1:
                page.screenshot(path=str(artifacts_dir / f"tour-tablet-{width}x{height}.png"))
            next_button.tap()
        page.wait_for_selector("#tour", state="hidden")
    finally:
        context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by npm ci (package.json)")
@pytest.mark.parametrize("query", ["/?lang=en", "/?lang=de", CNN + "&lang=en", CNN + "&lang=de"])
def test_no_serious_accessibility_violations_in_both_languages(page, serve, artifacts_dir, query):
    server = serve(REPO)
    open_page(page, server.url + query)
    page.click("#digit-8")
    wait_for_prediction(page)
    page.click("#tour-start")
    page.wait_for_selector("#tour:not([hidden])")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
        ".map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))"
    )
    name = re.sub(r"\W+", "-", query).strip("-")
    (artifacts_dir / f"axe-{name}.txt").write_text("\n".join(map(str, results)))
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
