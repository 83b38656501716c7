"""Broken exports, served for real from a copy of the site: each problem shows
a specific #error naming the file, and the page keeps its last good state
(snapshot, prediction) and keeps working."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from page_helpers import copy_site, manifest, manifest_v1, open_page, wait_for_prediction, wait_for_snapshot
from safetensors.numpy import load_file, save_file

pytestmark = pytest.mark.browser

NOT_FOUND_LOG = "Failed to load resource"  # Chromium logs every 404 as a console error


def write_manifest(site: Path, name: str, data: dict | str) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    (site / "exports" / name).write_text(text)


def broken_snapshot(site: Path, kind: str) -> dict:
    """A manifest (exports/broken.json) whose first snapshot is broken in one way."""
    data = manifest()
    entry = data["timeline"][0]
    original = site / "exports" / entry["file"]
    broken = site / "exports" / "mlp_weights" / "broken.safetensors"
    entry["file"] = "mlp_weights/broken.safetensors"
    if kind == "truncated":
        broken.write_bytes(original.read_bytes()[: entry["bytes"] // 2])
    elif kind in ("shape", "nan"):
        tensors = load_file(str(original))
        if kind == "shape":
            tensors["layers.1.weight"] = tensors["layers.1.weight"][:, :-1].copy()
        else:
            tensors["layers.0.bias"][3] = np.float16("nan")
        save_file(tensors, str(broken), metadata={"format": "mnist-mlp-timeline", "format_version": "1"})
        # Size and hash match the broken file: the content itself must be caught.
        entry["bytes"] = broken.stat().st_size
        entry["sha256"] = hashlib.sha256(broken.read_bytes()).hexdigest()
    return data


MANIFEST_PROBLEMS = {
    "missing manifest": (None, "exports/nope.json: could not be loaded (HTTP 404"),
    "invalid JSON": ('{"format": "mnist-mlp-timeline", ', "exports/nope.json: not valid JSON"),
    "wrong version": ({**manifest(), "format_version": 3}, "exports/nope.json: unsupported format_version 3"),
    "layer sizes": (
        {**manifest_v1(), "model": {**manifest_v1()["model"], "layer_sizes": [784, 128, 64, 9]}},
        "exports/nope.json: model.layer_sizes must end with 10",
    ),
}


@pytest.mark.parametrize("problem", list(MANIFEST_PROBLEMS))
def test_a_broken_manifest_is_named(page, serve, tmp_path, problem):
    content, message = MANIFEST_PROBLEMS[problem]
    site = copy_site(tmp_path)
    if content is not None:
        write_manifest(site, "nope.json", content)
    server = serve(site)
    open_page(page, server.url + "/?export=exports/nope.json", ready=False)
    page.wait_for_selector("#error:not([hidden])")
    assert message in page.inner_text("#error")
    assert page.get_attribute("#prediction", "data-snapshot") == ""
    # No snapshot is fetched, not even the default's: index.html preloads only the export the address names.
    assert not any(path.endswith(".safetensors") for path in server.requests), server.requests
    # The pad still works as a pad: drawing does not throw without a network.
    box = page.locator("#draw-pad").bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 150, box["y"] + 180, steps=3)
    page.mouse.up()
    page.wait_for_timeout(200)
    assert [error for error in page.errors if NOT_FOUND_LOG not in error] == []


SNAPSHOT_PROBLEMS = {
    "snapshot 404": ("missing", "exports/mlp_weights/broken.safetensors: could not be loaded (HTTP 404"),
    "truncated snapshot": ("truncated", "exports/mlp_weights/broken.safetensors: truncated file"),
    "shape mismatch": (
        "shape",
        'exports/mlp_weights/broken.safetensors: shape mismatch: "layers.1.weight" is [64,127], the manifest needs [64,128]',
    ),
    "NaN weights": ("nan", 'exports/mlp_weights/broken.safetensors: tensor "layers.0.bias" contains NaN'),
}


@pytest.mark.parametrize("problem", list(SNAPSHOT_PROBLEMS))
def test_a_broken_snapshot_is_named_and_the_last_good_one_stays(page, serve, tmp_path, artifacts_dir, problem):
    kind, message = SNAPSHOT_PROBLEMS[problem]
    site = copy_site(tmp_path)
    data = broken_snapshot(site, kind)
    write_manifest(site, "broken.json", data)
    server = serve(site)
    open_page(page, server.url + "/?export=exports/broken.json")
    last = data["timeline"][-1]["id"]
    page.click("#digit-6")
    wait_for_prediction(page)
    prediction = page.get_attribute("#prediction", "data-prediction")
    bars = page.locator(".bar-value").all_inner_texts()

    page.focus("#timeline")
    page.keyboard.press("Home")
    page.wait_for_selector("#error:not([hidden])")
    page.wait_for_function("document.querySelector('#timeline-status').textContent.includes('failed')")
    assert message in page.inner_text("#error")
    assert page.get_attribute("#prediction", "data-snapshot") == last, "the last good snapshot stays"
    assert page.get_attribute("#prediction", "data-prediction") == prediction
    assert page.locator(".bar-value").all_inner_texts() == bars
    if kind == "nan":
        page.screenshot(path=str(artifacts_dir / "page-broken-snapshot.png"))

    page.keyboard.press("ArrowRight")  # the next snapshot is fine: the page keeps working
    wait_for_snapshot(page, data["timeline"][1]["id"])
    assert page.inner_text("#timeline-status") == ""
    assert [error for error in page.errors if NOT_FOUND_LOG not in error] == []
