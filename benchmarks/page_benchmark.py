#!/usr/bin/env python3
"""The page's speed in headless Chromium with software WebGL (SwiftShader), for the MLP and
the CNN from the same run, against the reference page (DFin/Neural-Network-Visualisation)
measured in the same setting on this machine.

    python benchmarks/page_benchmark.py [--export exports/mlp_weights.json --export …] [--repeats 8]

Serves the repository with a real HTTP server on 127.0.0.1 (counting the bytes it sends),
drives /usr/bin/chromium through Playwright and prints, for each export (by default the MLP
and the CNN, one after the other in the same browser): time to interactive and to the first
WebGL draw, bytes fetched before the first prediction, tap → probabilities, drawing frames
per second with every connection shown, the drawing update's script time (forward pass +
feature-map textures + recolour) and the timeline step time, uncached and cached (at rest,
and back to back as in a drag), with the bytes it fetches; then the CNN's figures over the
MLP's."""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# (reference figure, goal, unit, lower is better) — the reference page measured on this machine, same setting.
REFERENCE = {
    "first WebGL draw": (1850.0, None, "ms", True),
    "bytes before first prediction": (8.9e6, 1.5e6, "B", True),
    "tap to probabilities": (1190.0, 100.0, "ms", True),
    "frames/s while drawing, all connections": (0.85, None, "fps", False),
    "drawing update (forward + maps + recolour)": (None, 1.0, "ms", True),
    "… with the default top-k and threshold": (None, 1.0, "ms", True),
    "timeline step, uncached": (1000.0, 150.0, "ms", True),
    "timeline step, cached (the page's work)": (None, 10.0, "ms", True),
    "… input → shown, with the wait for the frame": (1000.0, None, "ms", True),
    "… cached, steps back to back (a drag)": (None, None, "ms", True),
    "bytes per uncached timeline step": (292e3, None, "B", True),
}

# The CNN's own goals where they differ from the MLP's.
CNN_GOALS = {"drawing update (forward + maps + recolour)": 8.0, "… with the default top-k and threshold": 8.0}

# Records when the first WebGL draw call happens and when the page becomes ready.
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

TAP = """async () => {
  const pad = document.querySelector('#draw-pad');
  const rect = pad.getBoundingClientRect();
  const prediction = document.querySelector('#prediction');
  const changed = new Promise((done) => new MutationObserver((_, observer) => {
    if (prediction.dataset.prediction !== '') { observer.disconnect(); done(performance.now()); }
  }).observe(prediction, { attributes: true }));
  const options = { pointerId: 1, pointerType: 'mouse', isPrimary: true, clientX: rect.x + rect.width / 2, clientY: rect.y + rect.height / 3, button: 0, buttons: 1, bubbles: true };
  const start = performance.now();
  pad.dispatchEvent(new PointerEvent('pointerdown', options));
  pad.dispatchEvent(new PointerEvent('pointerup', { ...options, buttons: 0 }));
  return (await changed) - start;
}"""

DRAW_FPS = (Path(__file__).parent / "draw-circles.js").read_text(encoding="utf-8")  # circles on the pad → frames/s

# The drawing update measured on the page's own modules, as scene/network-view.js wires them: the
# forward pass, the feature maps' textures rewritten (a CNN), the dense part's neuron colours and
# the connections: on a page that colours them on the GPU (scene/gpu-connection-lines.js, issue 15)
# its per-stroke share (top-k cuts and the neuron texture's data), else every connection's colour
# on the CPU. (The buffers' upload to the GPU happens in the render, which the frames/s figure
# includes.) Once with every connection shown and once with the default top-k and threshold.
UPDATE_TIME = """async ([manifestUrl, repeats]) => {
  const { loadManifest } = await import('./assets/js/data/export-loader.js');
  const { SnapshotStore } = await import('./assets/js/data/snapshot-store.js');
  const { denseStart } = await import('./assets/js/model/layers.js');
  const { gridShape, layout } = await import('./assets/js/model/neuron-layout.js');
  const { NeuronMesh } = await import('./assets/js/scene/neuron-mesh.js');
  const gpu = await import('./assets/js/scene/gpu-connection-lines.js').catch(() => null);
  const Lines = gpu ? gpu.GpuConnectionLines : (await import('./assets/js/scene/connection-lines.js')).ConnectionLines;
  const { FeatureMaps } = await import('./assets/js/scene/feature-maps.js');
  const { normalise, preprocess } = await import('./assets/js/model/preprocess.js');
  const manifest = await loadManifest(new URL(manifestUrl, location.href).href);
  const snapshot = await new SnapshotStore(manifest).load(manifest.timeline.length - 1);
  const { layers, input: spec } = manifest.model;
  const offset = denseStart(layers);
  const sizes = snapshot.network.sizes.slice(offset);
  const first = offset === 0 ? spec.shape : [gridShape(sizes[0]).rows, gridShape(sizes[0]).columns];
  const net = layout(sizes, first);
  const shapes = [[1, ...spec.shape], ...layers.slice(0, Math.max(0, offset - 1)).map((layer) => layer.output_shape)];
  const maps = offset > 0 ? new FeatureMaps(net.layers, shapes, net.yaw) : null;
  const neurons = new NeuronMesh(net), lines = new Lines(net);
  const dense = { layers: snapshot.network.layers.slice(offset) };
  const ink = new Float32Array(280 * 280);
  for (let y = 60; y < 220; y++) for (let x = 120; x < 150; x++) ink[y * 280 + x] = 1;
  const input = new Float32Array(784);
  let denseResult = null; // the forward pass's own buffers, sliced once (as the network view does)
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const figures = { gpu: Boolean(gpu) };
  for (const [name, settings] of [['update', { topK: Infinity, threshold: 0 }], ['updateDefault', { topK: 4, threshold: 0.03 }]]) {
    const times = [], forwardTimes = [], preprocessTimes = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      const pixels = preprocess(ink, 280, 280, spec.shape);
      const t1 = performance.now();
      const result = snapshot.network.forward(normalise(pixels, spec, input));
      const t2 = performance.now();
      denseResult ??= { activations: result.activations.slice(offset), preActivations: result.preActivations.slice(offset) };
      maps?.update(result);
      neurons.update(denseResult);
      lines.update(dense, denseResult.activations, settings);
      times.push(performance.now() - t1);
      forwardTimes.push(t2 - t1);
      preprocessTimes.push(t1 - t0);
    }
    figures[name] = median(times);
    figures.forward = median(forwardTimes);
    figures.preprocess = median(preprocessTimes);
  }
  figures.lines = lines.count;
  return figures;
}"""

# A timeline step: [input → snapshot shown, the page's own work in it]. The page updates once
# per animation frame, so the first figure includes the wait for the next frame (0–17 ms at
# 60 Hz, whenever the input comes); the work is the input handler plus the frame's updates up
# to the snapshot shown (for a cached step: the step's script time, as the drawing update's).
STEP = """async (index) => {
  const range = document.querySelector('#timeline');
  const prediction = document.querySelector('#prediction');
  const target = range.max && (await (await fetch(window.__manifestUrl)).json()).timeline[index].id;
  const changed = new Promise((done) => new MutationObserver((_, observer) => {
    if (prediction.dataset.snapshot === target) { observer.disconnect(); done(performance.now()); }
  }).observe(prediction, { attributes: true }));
  let frameStart = 0;
  const start = performance.now();
  requestAnimationFrame((frameTime) => { frameStart = frameTime; });  // every callback of a frame gets its start
  range.value = String(index);
  range.dispatchEvent(new Event('input', { bubbles: true }));
  const handled = performance.now();
  const shown = await changed;
  if (!frameStart) await new Promise((done) => requestAnimationFrame(done)); // ours may run after the page's
  return [shown - start, handled - start + shown - Math.max(frameStart, handled)];
}"""

# Resolves once three frames in a row come within 25 ms of each other (no render in flight).
# Called after the latent map's 400-ms transition has ended, a step measured then times the
# page's own work; one measured right after another also waits for the frame still being
# rendered, which under SwiftShader is the CPU drawing every connection.
AT_REST = """() => new Promise((done) => {
  const giveUp = performance.now() + 5000;
  let last = performance.now(), calm = 0;
  const tick = (now) => {
    calm = now - last < 25 ? calm + 1 : 0;
    last = now;
    if (calm >= 3 || now > giveUp) done(); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


@dataclass
class Config:
    exports: list[str]
    repeats: int


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


def measure(config: Config, root: Path = REPO, throttle=None) -> dict[str, dict[str, float]]:
    """Every export's figures for the page served from `root`, measured one after the other in one
    browser (each in a fresh context and server); `throttle(cdp_session)` applies a profile first."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        figures = {export: measure_export(browser, export, config.repeats, root, throttle) for export in config.exports}
        browser.close()
    return figures


def measure_export(browser, export: str, repeats: int, root: Path = REPO, throttle=None) -> dict[str, float]:
    server = CountingServer(root)
    figures: dict[str, float] = {}
    # bypass_csp: the measurements evaluate string predicates, which the page's CSP refuses
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    if throttle:
        throttle(context.new_cdp_session(page))
    query = "" if export == "exports/mlp_weights.json" else f"?export={export}"
    page.goto(f"{server.url}/{query}")
    page.wait_for_selector("body[data-ready=true]", timeout=60_000)
    figures["time to interactive"] = page.evaluate("window.__ready")
    figures["first WebGL draw"] = page.evaluate("window.__firstDraw")
    page.wait_for_timeout(500)
    taps = [page.evaluate(TAP)]
    figures["bytes before first prediction"] = server.bytes_since(0)
    figures["requests before first prediction"] = len(server.log)
    breakdown = sorted(server.log, key=lambda item: -item[1])[:6]
    for _ in range(repeats - 1):
        page.click("#clear")
        page.wait_for_timeout(300)
        taps.append(page.evaluate(TAP))
    figures["tap to probabilities"] = statistics.median(taps)
    page.click("#clear")
    page.eval_on_selector("#top-k", "(r) => { r.value = r.max; r.dispatchEvent(new Event('input')); }")
    page.eval_on_selector("#threshold", "(r) => { r.value = 0; r.dispatchEvent(new Event('input')); }")
    figures["frames/s while drawing, all connections"] = page.evaluate(DRAW_FPS, 4)
    timing = page.evaluate(UPDATE_TIME, [export, 30])
    figures["drawing update (forward + maps + recolour)"] = timing["update"]
    figures["… with the default top-k and threshold"] = timing["updateDefault"]
    figures["… its forward pass"] = timing["forward"]
    figures["preprocessing (not in the goal)"] = timing["preprocess"]
    figures["connections drawn (all)"] = timing["lines"]
    page.eval_on_selector(
        "#top-k", "(r) => { r.value = 4; r.dispatchEvent(new Event('input')); }"
    )  # back to the default view
    page.eval_on_selector("#threshold", "(r) => { r.value = 3; r.dispatchEvent(new Event('input')); }")
    page.click("#digit-3")
    page.evaluate(f"window.__manifestUrl = new URL({export!r}, location.href).href")
    last = int(page.get_attribute("#timeline", "max"))
    files = page.evaluate(
        "async (url) => (await (await fetch(url)).json()).timeline.map((e) => e.file.split('/').pop())",
        export,
    )
    uncached, cached, step_bytes = [], [], []
    # Far jumps are never prefetched: each fetches exactly one snapshot.
    for index in list(range(2, last - 1, max(1, last // repeats)))[:repeats]:
        page.wait_for_timeout(300)  # let the previous neighbour prefetch finish
        mark = len(server.log)
        uncached.append(page.evaluate(STEP, index)[0])
        step_bytes.append(sum(size for path, size in server.log[mark:] if path.endswith("/" + files[index])))
        page.wait_for_timeout(600)
        page.evaluate(AT_REST)
        cached.append(page.evaluate(STEP, last))
        page.evaluate(STEP, index)
    page.wait_for_timeout(600)
    page.evaluate(AT_REST)
    dragged = [page.evaluate(STEP, last if i % 2 else index)[0] for i in range(repeats)]
    figures["timeline step, uncached"] = statistics.median(uncached)
    figures["timeline step, cached (the page's work)"] = statistics.median(work for _, work in cached)
    figures["… input → shown, with the wait for the frame"] = statistics.median(total for total, _ in cached)
    figures["… cached, steps back to back (a drag)"] = statistics.median(dragged)
    figures["bytes per uncached timeline step"] = statistics.median(step_bytes)
    context.close()
    server.httpd.shutdown()
    print(
        f"{export}: largest downloads before the first prediction:",
        ", ".join(f"{path} {size / 1e3:.0f} kB" for path, size in breakdown),
    )
    return figures


def show(all_figures: dict[str, dict[str, float]]) -> None:
    exports = list(all_figures)
    names = [Path(export).stem.removesuffix("_weights").upper() for export in exports]
    compare = len(exports) == 2
    header = f"{'figure':44}" + "".join(f"{name:>12}" for name in names)
    header += f"{f'{names[1]}/{names[0]}':>10}" if compare else ""
    print(header + f"{'reference':>12}{'goal':>18}{'vs reference':>14}")
    for name in all_figures[exports[0]]:
        values = [figures.get(name) for figures in all_figures.values()]
        reference, goal, unit, lower_better = REFERENCE.get(name, (None, None, "", True))
        unit = unit or ("ms" if "time" in name or "preprocessing" in name or "forward" in name else "")
        if unit == "B":
            fmt = lambda v: f"{v / 1e6:.2f} MB" if v >= 1e6 else f"{v / 1e3:.0f} kB"  # noqa: E731
        elif unit:
            fmt = lambda v, unit=unit: f"{v:.1f} {unit}"  # noqa: E731
        else:
            fmt = lambda v: f"{v:,.0f}"  # noqa: E731
        row = f"{name:44}" + "".join(f"{fmt(v) if v is not None else '–':>12}" for v in values)
        if compare:
            row += f"{f'{values[1] / values[0]:.2f}×' if values[0] and values[1] is not None else '–':>10}"
        goals = [goal if "cnn" not in export else CNN_GOALS.get(name, goal) for export in exports]
        goal_text = (
            " / ".join(fmt(g) for g in goals) if any(goals) and len(set(goals)) > 1 else (fmt(goal) if goal else "–")
        )
        versus = ""
        if reference and values[0]:
            versus = " / ".join(f"{(reference / v if lower_better else v / reference):.1f}×" for v in values if v)
        print(row + f"{fmt(reference) if reference else '–':>12}{goal_text:>18}{versus:>14}")
    if compare:
        print(f"{names[1]}/{names[0]}: the second export's figure over the first's (same run, same browser)")
    print(
        "vs reference = how many times better than the reference page (an MLP; same machine, same headless SwiftShader setting)"
    )


# ---- Throttled profiles and before/after runs (issue 15) -------------------------------


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


def measure_profile(
    config: Config, profile: str, before: Path | None
) -> dict[str, dict[str, tuple[float, float | None]]]:
    """{export: {figure: (this page, the page in `before` or None)}}, both measured under `profile` in this run."""
    now = measure(config, REPO, throttler(PROFILES[profile]))
    old = measure(config, before.resolve(), throttler(PROFILES[profile])) if before else {}
    return {
        export: {name: (value, old.get(export, {}).get(name)) for name, value in figures.items()}
        for export, figures in now.items()
    }


def show_before_after(figures: dict[str, tuple[float, float | None]], cnn: bool = False) -> None:
    print(f"{'figure':42} {'this page':>12} {'before':>12} {'ratio':>8} {'goal':>10} {'reference':>12}")
    for name, (value, old) in figures.items():
        reference, goal, unit, lower_better = REFERENCE.get(name, (None, None, "", True))
        goal = CNN_GOALS.get(name, goal) if cnn else goal
        fmt = _formatter(unit or ("ms" if "time" in name or "preprocessing" in name or "forward" in name else ""))
        ratio = ""
        if old and value:
            ratio = f"{(old / value if lower_better else value / old):.2f}×"
        print(
            f"{name:42} {fmt(value):>12} {fmt(old) if old is not None else '–':>12} {ratio:>8} "
            f"{fmt(goal) if goal else '–':>10} {fmt(reference) if reference else '–':>12}"
        )
    print("ratio = how many times better than before (same run, same profile); reference: unthrottled, see REFERENCE")


def _formatter(unit: str):
    if unit == "B":
        return lambda v: f"{v / 1e6:.2f} MB" if v >= 1e6 else f"{v / 1e3:.0f} kB"
    if unit:
        return lambda v: f"{v:.1f} {unit}"
    return lambda v: f"{v:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument(
        "--export",
        action="append",
        help="manifest path relative to the repository; repeat to compare (default: the MLP and the CNN)",
    )
    parser.add_argument("--repeats", type=int, default=8, help="timeline steps measured")
    parser.add_argument(
        "--profile",
        choices=[*PROFILES, "all"],
        default="unthrottled",
        help="network/CPU throttling through the DevTools protocol (default: unthrottled; all: each in turn)",
    )
    parser.add_argument(
        "--before-checkout",
        type=Path,
        metavar="DIR",
        help="a checkout of the page before a change (git worktree add DIR <commit>), measured in the same run",
    )
    args = parser.parse_args()
    config = Config(
        exports=args.export or ["exports/mlp_weights.json", "exports/cnn_weights.json"], repeats=args.repeats
    )
    for root, name in ((REPO, "the repository"), (args.before_checkout, "--before-checkout")):
        for export in config.exports:
            if root is not None and not (root / export).is_file():
                raise SystemExit(f"page_benchmark: {name} {root}: no manifest {export} there")
    profiles = list(PROFILES) if args.profile == "all" else [args.profile]
    if args.before_checkout is None and profiles == ["unthrottled"]:
        show(measure(config))
        return
    for profile in profiles:
        print(f"\n== {profile}: {PROFILES[profile].description}")
        for export, figures in measure_profile(config, profile, args.before_checkout).items():
            print(f"-- {export}")
            show_before_after(figures, cnn="cnn" in export)


if __name__ == "__main__":
    main()
