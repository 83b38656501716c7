"""The first frame in one round trip (index.html's preload links, kept equal to the
import graph by tests/js/preload-links.test.mjs): the page's own code is one bundle
(assets/bundle/main.js), the browser reuses the preloaded manifest and snapshot (each
requested once) and starts fetching them before the module graph has finished loading —
the export the address names, never the default's files for a link to another."""

from __future__ import annotations

import json

import pytest
from page_helpers import REPO

pytestmark = pytest.mark.browser

# Per resource: when its fetch started and when it ended.
TIMINGS = """() => performance.getEntriesByType('resource').map((e) => ({
  path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd,
}))"""


@pytest.mark.parametrize(
    ("address", "shown_export", "other_export"),
    [
        ("/", "exports/mlp_weights.json", "exports/cnn_weights"),
        ("/?export=exports/cnn_weights.json", "exports/cnn_weights.json", "exports/mlp_weights"),
        ("/#export=exports/cnn_weights.json", "exports/cnn_weights.json", "exports/mlp_weights"),
    ],
)
def test_the_export_the_address_names_is_preloaded_once_and_early(page, serve, address, shown_export, other_export):
    server = serve(REPO)
    manifest = json.loads((REPO / shown_export).read_text())
    snapshot = f"/{shown_export.rsplit('/', 1)[0]}/{manifest['timeline'][-1]['file']}"
    page.goto(server.url + address)
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    page.wait_for_selector(f"#prediction[data-snapshot='{manifest['timeline'][-1]['id']}']", timeout=30_000)
    for path in (f"/{shown_export}", snapshot):
        assert server.requests.count(path) == 1, (
            f"{path} requested {server.requests.count(path)} times: the preload was not reused"
        )
    assert not [path for path in server.requests if path.startswith(f"/{other_export}")], "the other export's files"
    timings = {entry["path"]: entry for entry in page.evaluate(TIMINGS)}
    modules = [entry for path, entry in timings.items() if path.startswith("/assets/") and path.endswith(".js")]
    assert sorted(entry["path"] for entry in modules) == [
        "/assets/bundle/main.js",
        "/assets/vendor/three/addons/controls/OrbitControls.js",
        "/assets/vendor/three/three.module.js",
    ], "the page's modules come as one bundle, beside the vendored three.js"
    # Without the preloads, an import's fetch starts only once its importer has arrived and been parsed.
    main = timings["/assets/bundle/main.js"]
    late = [entry["path"] for entry in modules if entry["start"] >= main["end"]]
    assert late == [], f"fetched only after the bundle arrived: not preloaded ({late})"
    graph_loaded = max(entry["end"] for entry in modules)
    for path in (f"/{shown_export}", snapshot):
        assert timings[path]["start"] < graph_loaded, f"{path} starts only after the modules arrived"
    assert page.errors == []


def test_a_link_to_a_snapshot_preloads_only_the_manifest(page, serve):
    server = serve(REPO)
    first = json.loads((REPO / "exports/mlp_weights.json").read_text())["timeline"][0]
    page.goto(f"{server.url}/#snapshot={first['id']}")
    page.wait_for_selector(f"#prediction[data-snapshot='{first['id']}']", timeout=60_000)
    fetched = [path for path in server.requests if path.startswith("/exports/")]
    assert fetched == ["/exports/mlp_weights.json", "/exports/mlp_weights/" + first["file"].split("/")[-1]], fetched
    assert page.errors == []
