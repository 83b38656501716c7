"""The first frame in one round trip (index.html's preload links, kept equal to the
import graph by tests/js/preload-links.test.mjs): the page's own code is one bundle
(assets/bundle/main.js), the browser reuses the preloaded manifest and snapshot (each
requested once) and starts fetching them before the module graph has finished loading."""

from __future__ import annotations

import json

import pytest
from page_helpers import REPO

pytestmark = pytest.mark.browser

# Per resource: when its fetch started and when it ended.
TIMINGS = """() => performance.getEntriesByType('resource').map((e) => ({
  path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd,
}))"""


def test_the_export_is_preloaded_once_and_early(page, serve):
    server = serve(REPO)
    manifest = json.loads((REPO / "exports/mlp_weights.json").read_text())
    snapshot = "/exports/" + manifest["timeline"][-1]["file"]
    page.goto(f"{server.url}/")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    page.wait_for_selector(f"#prediction[data-snapshot='{manifest['timeline'][-1]['id']}']", timeout=30_000)
    for path in ("/exports/mlp_weights.json", snapshot):
        assert server.requests.count(path) == 1, (
            f"{path} requested {server.requests.count(path)} times: the preload was not reused"
        )
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
    for path in ("/exports/mlp_weights.json", snapshot):
        assert timings[path]["start"] < graph_loaded, f"{path} starts only after the modules arrived"
    assert page.errors == []
