"""The setting every page benchmark shares: Debian's Chromium with software WebGL, a counting
HTTP server on 127.0.0.1, and the throttling profiles applied through the DevTools protocol
(issue 15's school network and tablet)."""

from __future__ import annotations

import functools
import http.server
import threading
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# As tests/conftest.py launches it (the benchmarks do not import the tests).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Records when the first WebGL draw call happens (any page: it wraps WebGL itself) and when
# this page becomes ready (body[data-ready]).
INIT_SCRIPT = """
(() => {
  for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
      const original = proto[name];
      if (!original) continue;
      proto[name] = function (...args) { window.__firstDraw ??= performance.now(); return original.apply(this, args); };
    }
  }
  new MutationObserver(() => { if (document.body?.dataset.ready === 'true') window.__ready ??= performance.now(); })
    .observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
})();
"""


class CountingServer:
    """http.server on 127.0.0.1 serving the repository, counting bytes per request in order."""

    def __init__(self, root: Path):
        log: list[tuple[str, int]] = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                data = source.read()
                log.append((self.path, len(data)))
                outputfile.write(data)

        self.log = log
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def bytes_since(self, mark: int) -> int:
        return sum(size for _, size in self.log[mark:])


@dataclass
class Profile:
    description: str
    latency_ms: float | None = None  # added to every request's round trip
    mbit_per_s: float | None = None  # download and upload
    cpu_slowdown: float = 1.0


PROFILES = {
    "unthrottled": Profile("this machine as it is"),
    "school network": Profile("100 ms round trip, 10 Mbit/s", latency_ms=100, mbit_per_s=10),
    "tablet": Profile("a tablet on school Wi-Fi: 100 ms, 10 Mbit/s and the CPU 4x slower", 100, 10, 4.0),
}


def throttler(profile: Profile):
    """Applies `profile` to a page through its DevTools session (before the page loads)."""

    def apply(cdp) -> None:
        if profile.latency_ms is not None:
            cdp.send("Network.enable")
            rate = profile.mbit_per_s * 1e6 / 8  # bytes per second
            cdp.send(
                "Network.emulateNetworkConditions",
                {"offline": False, "latency": profile.latency_ms, "downloadThroughput": rate, "uploadThroughput": rate},
            )
        if profile.cpu_slowdown != 1.0:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile.cpu_slowdown})

    return apply
