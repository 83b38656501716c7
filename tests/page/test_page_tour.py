"""The "How it works" tour as visitors use it: opened and walked through with the keyboard
only (each step dims all but its part of the 3D view and flies the camera there), opened
from a #tour=N link, on a blank pad (a real test digit is loaded, and the tour says so), in
German, and checked by axe-core for accessibility problems."""

from __future__ import annotations

import re

import pytest
from page_helpers import REPO, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"

# id, the layers at full strength in the 784-128-64-10 network ("" = all)
STEPS = [
    ("input", "0"),
    ("neuron", "1"),
    ("sum", "0,1"),
    ("layer1", "1"),
    ("layer2", "2"),
    ("output", "3"),
    ("training", ""),
    ("latent", "2"),
    ("end", ""),
]


def camera_in_link(page) -> str:
    """The camera as the page's own link records it, once the flight has settled ("" = the home view)."""
    page.wait_for_function("!('gliding' in document.querySelector('#network').dataset)")
    previous = None
    for _ in range(40):
        page.wait_for_timeout(150)
        match = re.search(r"camera=([^&]*)", page.evaluate("location.hash"))
        current = match.group(1) if match else ""
        if current == previous:
            return current
        previous = current
    raise AssertionError("the camera never settled")


def test_tour_with_the_keyboard_only(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    assert page.get_attribute("#prediction", "data-prediction") == ""  # a blank pad
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "tour-start"
    assert page.inner_text("#tour-start") == "How it works"
    page.keyboard.press("Enter")
    page.wait_for_selector("#tour:not([hidden])")
    assert page.evaluate("document.activeElement.id") == "tour", "focus moves into the dialog"
    assert page.get_attribute("#tour", "role") == "dialog"
    assert page.get_attribute("#tour", "aria-labelledby") == "tour-title"
    # The blank pad gets a real test digit, and the tour says which.
    page.wait_for_function("document.querySelector('#tour').dataset.loadedDigit !== ''")
    loaded = page.get_attribute("#tour", "data-loaded-digit")
    assert re.fullmatch(r"\d", loaded)
    assert wait_for_prediction(page) != ""
    note = page.inner_text(".tour-note")
    assert f"real handwritten {loaded} from the MNIST test set" in note
    cameras = []
    for number, (step_id, emphasis) in enumerate(STEPS, start=1):
        page.wait_for_function(f"document.querySelector('#tour').dataset.step === '{number}'")
        assert page.get_attribute("#tour", "data-step-id") == step_id
        page.wait_for_function(
            f"document.querySelector('#network').dataset.emphasis === '{emphasis}'"
            f" && document.querySelector('#network').dataset.tourView === '{step_id}'"
        )
        assert page.inner_text(".tour-progress").lower() == f"step {number} of {len(STEPS)}"
        current = page.locator(".tour-dot[aria-current=step]")
        assert (
            current.count() == 1 and page.locator(".tour-dot").nth(number - 1).get_attribute("aria-current") == "step"
        )
        text = page.inner_text("#tour-text")
        assert "{" not in text and "undefined" not in text and "NaN" not in text
        page.wait_for_function(f"/[#&]tour={number}(&|$)/.test(location.hash)")  # the link follows (debounced)
        cameras.append(camera_in_link(page))
        if step_id == "input":
            assert "784" in page.inner_text("#tour-title")
        if step_id in ("neuron", "sum"):
            # The most active first-layer neuron is selected, its weights shown, its real numbers quoted.
            page.wait_for_selector("#neuron-weights:not([hidden])")
            neuron = int(page.get_attribute("#neuron-weights", "data-neuron").split(".")[1]) + 1
            assert f"neuron {neuron}" in text.lower()
            if step_id == "sum":
                weighted_sum = float(page.inner_text("#neuron-sum"))
                # The text and the panel round the same float32 sum separately: equal to 0.01.
                quoted = [float(n) for n in re.findall(r"-?\d+\.\d\d", text)]
                assert any(abs(q - weighted_sum) <= 0.011 for q in quoted), (weighted_sum, text)
        if step_id == "output":
            digit = page.get_attribute("#prediction", "data-prediction")
            assert f"says {digit} with" in text
        if step_id == "training":
            page.wait_for_function("document.querySelector('#play').getAttribute('aria-pressed') === 'true'")
            assert "tour-spotlight" in page.get_attribute("#timeline-bar", "class")
        if step_id == "latent":
            assert page.get_attribute('#insights .ins-tab[data-tab="latent"]', "aria-selected") == "true"
        page.screenshot(path=str(artifacts_dir / f"tour-step-{number}-{step_id}.png"))
        if number == 3:  # back and forth with the arrow keys
            page.keyboard.press("ArrowLeft")
            page.wait_for_function("document.querySelector('#tour').dataset.step === '2'")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("document.querySelector('#tour').dataset.step === '3'")
        if number < len(STEPS):
            page.keyboard.press("Space")
    # Every step moved the camera (the training and end steps go back to the home view).
    for before, after, (step_id, _) in zip(cameras[:-1], cameras[1:], STEPS[1:], strict=True):
        assert before != after, f"the camera did not move for {step_id}"
    assert page.inner_text("#tour-next") == "Finish"
    page.keyboard.press("Tab")  # into the dialog's buttons: Enter on Finish closes
    page.focus("#tour-next")
    page.keyboard.press("Enter")
    page.wait_for_selector("#tour", state="hidden")
    assert page.evaluate("document.activeElement.id") == "tour-start", "focus returns to the button"
    page.wait_for_function("document.querySelector('#network').dataset.emphasis === ''")
    page.wait_for_function("!location.hash.includes('tour=')")
    assert page.errors == []


def test_tour_link_opens_step_3_and_escape_closes_and_resumes(page, serve):
    server = serve(REPO)
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.click("#digit-4")  # a drawing is there: no digit is loaded by the tour
    wait_for_prediction(page)
    page.wait_for_function("location.hash.includes('drawing=')")  # the link is written first (debounced)
    page.evaluate("location.hash = location.hash + '&tour=3'")  # a pasted link reloads the page
    page.wait_for_selector("#tour:not([hidden])", timeout=30_000)
    assert page.get_attribute("#tour", "data-step") == "3"
    assert page.get_attribute("#tour", "data-step-id") == "sum"
    assert page.get_attribute("#tour", "data-loaded-digit") == ""
    assert page.is_hidden(".tour-note")
    page.wait_for_function("document.querySelector('#network').dataset.emphasis === '0,1'")
    assert page.get_attribute("#prediction", "data-prediction") == "4"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('#tour').dataset.step === '4'")
    page.keyboard.press("Escape")
    page.wait_for_selector("#tour", state="hidden")
    assert page.inner_text("#tour-start") == "How it works (step 4)"
    page.click("#tour-start")
    page.wait_for_function("document.querySelector('#tour').dataset.step === '4'")
    page.click("#tour-close")
    page.wait_for_selector("#tour", state="hidden")
    assert page.errors == []


def test_tour_and_page_in_german(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/?lang=de")
    assert page.get_attribute("html", "lang") == "de"
    assert page.inner_text("h1") == "Sieh einem neuronalen Netz beim Lernen zu"
    assert page.inner_text("#clear") == "Löschen"
    assert page.input_value("#lang") == "de"
    page.click("#tour-start")
    page.wait_for_selector("#tour:not([hidden])")
    assert page.inner_text(".tour-progress").lower() == "schritt 1 von 9"
    assert page.inner_text("#tour-title") == "Deine Zeichnung wird zu 784 Zahlen"
    assert page.inner_text("#tour-next") == "Weiter"
    page.wait_for_function("document.querySelector('#tour').dataset.loadedDigit !== ''")
    assert "MNIST-Testdatensatz" in page.inner_text(".tour-note")
    page.keyboard.press("Escape")
    page.select_option("#lang", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.wait_for_selector("body[data-ready=true]")
    assert page.inner_text("#tour-start").startswith("How it works")
    assert "lang=en" in page.url
    assert page.errors == []


def test_the_3d_view_is_described_in_words(page, serve):
    server = serve(REPO)
    open_page(page, server.url + "/")
    assert page.get_attribute("#network", "aria-describedby") == "network-description"
    page.click("#digit-7")
    digit = wait_for_prediction(page)
    page.wait_for_function("document.querySelector('#network-description').textContent.startsWith('The network says')")
    text = page.inner_text("#network-description")
    assert f"The network says {digit} with" in text
    assert "Strongest neurons of hidden layer 1:" in text
    assert page.get_attribute("#network-description", "aria-live") == "polite"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by npm ci (package.json)")
def test_no_serious_accessibility_violations(page, serve, artifacts_dir):
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#tour-start")
    page.wait_for_function("document.querySelector('#tour').dataset.loadedDigit !== ''")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
        ".map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }))"
    )
    (artifacts_dir / "axe-violations.txt").write_text("\n".join(map(str, results)))
    serious = [v for v in results if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
