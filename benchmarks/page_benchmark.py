#!/usr/bin/env python3
"""The page's speed in headless Chromium with software WebGL (SwiftShader), for the MLP and
the CNN from the same run, against the reference page (DFin/Neural-Network-Visualisation)
measured in the same setting on this machine.

    python benchmarks/page_benchmark.py [--export exports/mlp_weights.json --export …] [--repeats 8]
        [--profile …] [--before-checkout DIR] [--reference-checkout DIR]

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
import statistics
from dataclasses import dataclass
from pathlib import Path

import first_frame_benchmark as first_frame
from page_report import show, show_before_after
from page_setting import CHROMIUM, CHROMIUM_ARGS, INIT_SCRIPT, PROFILES, REPO, CountingServer, throttler
from playwright.sync_api import sync_playwright

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
    parser.add_argument(
        "--reference-checkout",
        type=Path,
        metavar="DIR",
        help="a checkout of the reference page: also time both pages' first WebGL frame (first_frame_benchmark.py)",
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
    if args.reference_checkout is not None:
        frames = first_frame.Config(args.reference_checkout, "index.html", profiles, runs=3)
        if not (args.reference_checkout / frames.reference_page).is_file():
            raise SystemExit(f"page_benchmark: --reference-checkout {args.reference_checkout}: no index.html there")
        for profile in profiles:
            first_frame.show(profile, first_frame.measure(frames, profile))
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
