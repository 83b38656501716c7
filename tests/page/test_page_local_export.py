"""An export opened from the local disk, without a server: the real files of the committed CNN
export picked with the folder dialog (#open-export-input) load and predict, and a broken copy
shows the same error as over HTTP in the banner while the page keeps what it showed."""

from __future__ import annotations

import json
import shutil

import pytest
from page_helpers import REPO, draw_digit, first_of_each_class, mnist_test_set, open_page, wait_for_prediction

pytestmark = pytest.mark.browser

MANIFEST = REPO / "exports" / "cnn_weights.json"


def export_folder(root, name="my-export"):
    """A folder holding the committed CNN manifest together with its folder of files, as a user would pick it."""
    folder = root / name
    folder.mkdir()
    shutil.copy(MANIFEST, folder / MANIFEST.name)
    shutil.copytree(MANIFEST.with_suffix(""), folder / MANIFEST.stem)
    return folder


def test_a_local_export_opened_by_the_folder_dialog_loads_and_predicts(page, serve, mnist_dir, tmp_path):
    images, labels = mnist_test_set(mnist_dir)
    server = serve(REPO)
    open_page(page, server.url + "/")
    draw_digit(page, images[first_of_each_class(labels)[7]])
    assert wait_for_prediction(page) == "7"
    assert page.locator("#network-labels .layer", has_text="Conv").count() == 0  # the MLP
    with page.expect_file_chooser() as chooser:
        page.click("#open-export")
    chooser.value.set_files(export_folder(tmp_path))
    page.wait_for_function("document.querySelector('#model-switch').value === 'local:my-export/cnn_weights.json'")
    last = json.loads(MANIFEST.read_text())["timeline"][-1]["id"]
    page.wait_for_function(f"document.querySelector('#prediction').dataset.snapshot === '{last}'")
    assert wait_for_prediction(page) == "7", "the drawing stays and the CNN reads it"
    assert page.locator("#network-labels .layer", has_text="Conv · 16 maps").count() == 1
    options = page.locator("#model-switch option").all_text_contents()
    assert "local:my-export/cnn_weights.json" in options, options
    draw_digit(page, images[first_of_each_class(labels)[2]])
    assert wait_for_prediction(page) == "2"
    assert page.is_hidden("#error")
    assert page.errors == []


def test_a_broken_local_export_shows_the_banner_and_keeps_the_page(page, serve, mnist_dir, tmp_path):
    images, labels = mnist_test_set(mnist_dir)
    folder = export_folder(tmp_path)
    entry = json.loads(MANIFEST.read_text())["timeline"][-1]
    snapshot = folder / entry["file"]
    snapshot.write_bytes(snapshot.read_bytes()[: snapshot.stat().st_size // 2])  # truncated
    server = serve(REPO)
    open_page(page, server.url + "/")
    draw_digit(page, images[first_of_each_class(labels)[4]])
    assert wait_for_prediction(page) == "4"
    shown = page.get_attribute("#prediction", "data-snapshot")
    page.set_input_files("#open-export-input", folder)
    page.wait_for_selector("#error:not([hidden])")
    message = page.inner_text("#error-text")
    assert message.startswith(f"my-export/{entry['file']}: "), message
    # Over HTTP the same truncated file gives the same words after its path.
    site = tmp_path / "site"
    site.mkdir()
    shutil.copytree(folder, site / "my-export")
    for part in ("index.html", "favicon.svg", "assets"):
        (shutil.copytree if (REPO / part).is_dir() else shutil.copy)(REPO / part, site / part)
    assert page.eval_on_selector("#model-switch", "(s) => s.value") == "exports/mlp_weights.json"
    assert page.get_attribute("#prediction", "data-snapshot") == shown
    assert wait_for_prediction(page) == "4"
    other = serve(site)
    page.goto(f"{other.url}/?export=my-export/cnn_weights.json")
    page.wait_for_selector("#error:not([hidden])")
    assert page.inner_text("#error-text") == message


DROP = """async (names) => {
  // The real files, read from the server as a user's disk would give them, dropped as File objects.
  const transfer = new DataTransfer();
  for (const name of names) {
    const bytes = await (await fetch(`exports/${name}`)).arrayBuffer();
    transfer.items.add(new File([bytes], name.split('/').pop()));
  }
  document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
  const overlay = !document.querySelector('#drop-overlay').hidden;
  document.body.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  return { overlay, after: !document.querySelector('#drop-overlay').hidden };
}"""


def test_files_dropped_on_the_page_open_as_an_export(page, serve):
    manifest = json.loads(MANIFEST.read_text())
    names = [MANIFEST.name, *(entry["file"] for entry in manifest["timeline"]), manifest["probe"]["file"]]
    server = serve(REPO)
    open_page(page, server.url + "/")
    page.click("#digit-9")
    assert wait_for_prediction(page) == "9"
    shown = page.evaluate(DROP, names)
    assert shown == {"overlay": True, "after": False}, "the overlay shows while dragging and goes on drop"
    page.wait_for_function("document.querySelector('#model-switch').value === 'local:cnn_weights.json'")
    page.wait_for_function(
        f"document.querySelector('#prediction').dataset.snapshot === '{manifest['timeline'][-1]['id']}'"
    )
    assert wait_for_prediction(page) == "9"
    assert page.locator("#network-labels .layer", has_text="Pool · 16 maps").count() == 1
    assert page.is_hidden("#error")
    assert page.errors == []
