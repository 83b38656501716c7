// The kiosk's idle timer and attract loop (app/attract.js) on a fake clock: options from the
// address, strokes from a real-shaped digit, the cycle plan, idle → run → input → clean pad.
import assert from "node:assert/strict";
import { test } from "node:test";
import { AttractLoop, attractPlan, digitStrokes, readAttractOptions } from "../../assets/js/app/attract.js";

test("?idle and ?attract-cycle: defaults, minimums, and a bad value falls back with a warning", () => {
  assert.deepEqual(readAttractOptions(""), { idleMs: 90_000, cycleMs: 12_000, warnings: [] });
  assert.deepEqual(readAttractOptions("?kiosk&idle=30&attract-cycle=2.5"), { idleMs: 30_000, cycleMs: 2_500, warnings: [] });
  assert.deepEqual(readAttractOptions("?idle=0&attract-cycle=0"), { idleMs: 1_000, cycleMs: 300, warnings: [] });
  for (const bad of ["abc", "-5", "1e9", "", "NaN", "Infinity", "12s"]) {
    const options = readAttractOptions(`?idle=${encodeURIComponent(bad)}`);
    assert.equal(options.idleMs, 90_000, bad);
    assert.equal(options.warnings.length, 1, bad);
    assert.match(options.warnings[0], /^\?idle=.* is not a number of seconds: using 90$/);
  }
});

test("a digit becomes one stroke per run of ink in each row, in pad pixels", () => {
  const pixels = new Float32Array(28 * 28);
  pixels.fill(1, 5 * 28 + 10, 5 * 28 + 14); // row 5, columns 10–13
  pixels[5 * 28 + 20] = 0.9; // a one-pixel run
  pixels[6 * 28 + 3] = 0.2; // too faint to draw
  assert.deepEqual(digitStrokes(pixels, 28, 28, 280, 280), [
    [
      [105, 55],
      [135, 55],
    ],
    [
      [205, 55],
      [205, 55],
    ],
  ]);
  assert.deepEqual(digitStrokes(new Float32Array(784), 28, 28, 280, 280), []);
});

test("a cycle draws the digit first and plays the timeline from the first snapshot to the last", () => {
  assert.deepEqual(attractPlan(0, 30, 36), { strokes: 0, snapshot: 0 });
  assert.equal(attractPlan(0.45, 30, 36).strokes, 30);
  assert.ok(attractPlan(0.2, 30, 36).strokes > 0 && attractPlan(0.2, 30, 36).strokes < 30);
  assert.deepEqual(attractPlan(0.85, 30, 36), { strokes: 30, snapshot: 35 });
  assert.deepEqual(attractPlan(2, 30, 36), { strokes: 30, snapshot: 35 });
  let last = -1;
  for (let f = 0; f <= 1; f += 0.01) {
    const { snapshot } = attractPlan(f, 30, 36);
    assert.ok(snapshot >= last, "the timeline only moves forward");
    last = snapshot;
  }
});

/** Fake timers: one pending timeout at most matters here, frames run when the test says. */
function fakeTimers() {
  const clock = { now: 0, timeout: null, frames: [] };
  return Object.assign(clock, {
    setTimeout: (callback, ms) => {
      clock.timeout = { callback, at: clock.now + ms };
      return clock.timeout;
    },
    clearTimeout: (handle) => {
      if (clock.timeout === handle) clock.timeout = null;
    },
    requestFrame: (callback) => clock.frames.push(callback),
    async advance(ms) {
      const end = clock.now + ms;
      while (clock.now < end) {
        clock.now = Math.min(end, clock.now + 16);
        if (clock.timeout && clock.timeout.at <= clock.now) {
          const { callback } = clock.timeout;
          clock.timeout = null;
          callback();
        }
        const frames = clock.frames.splice(0);
        for (const frame of frames) frame(clock.now);
        await null; // promises (a digit arriving) settle between frames
      }
    },
  });
}

function recordingLoop(timers) {
  const log = { resets: 0, clears: 0, strokes: 0, snapshots: [], running: [], cycles: 0 };
  const stroke = [
    [0, 0],
    [10, 0],
  ];
  const loop = new AttractLoop(
    { idleMs: 1000, cycleMs: 500 },
    {
      reset: () => log.resets++,
      clearPad: () => log.clears++,
      nextDigit: () => Promise.resolve(Array(10).fill(stroke)),
      drawStroke: () => log.strokes++,
      showSnapshot: (index) => log.snapshots.push(index),
      snapshotCount: () => 5,
      setRunning: (running) => log.running.push(running),
      cycleDone: (cycles) => (log.cycles = cycles),
    },
    timers,
  );
  return { loop, log };
}

test("idle → the loop runs cycle after cycle; input ends it at once with a clean pad and re-arms the idle timer", async () => {
  const timers = fakeTimers();
  const { loop, log } = recordingLoop(timers);
  loop.poke();
  await timers.advance(990);
  assert.equal(loop.running, false, "not before the idle time");
  await timers.advance(20);
  assert.equal(loop.running, true);
  assert.deepEqual(log.running, [true]);
  assert.equal(log.resets, 1);
  await timers.advance(5 * 500 + 20);
  assert.equal(log.cycles, 5);
  assert.ok(log.strokes >= 50 && log.strokes < 60, `every cycle draws the whole digit: ${log.strokes}`);
  assert.deepEqual(log.snapshots.slice(0, 5), [0, 1, 2, 3, 4]);
  const clearsBefore = log.clears;
  loop.poke(); // a touch
  assert.equal(loop.running, false);
  assert.equal(log.clears, clearsBefore + 1, "the visitor gets a clean pad");
  assert.deepEqual(log.running, [true, false]);
  const strokes = log.strokes;
  await timers.advance(500);
  assert.equal(log.strokes, strokes, "no frame of the ended run draws on");
  await timers.advance(600);
  assert.equal(loop.running, true, "idle again: the loop starts over");
  assert.equal(log.resets, 2);
});

test("input while idle only restarts the idle time", async () => {
  const timers = fakeTimers();
  const { loop } = recordingLoop(timers);
  loop.poke();
  for (let i = 0; i < 5; i++) {
    await timers.advance(800);
    loop.poke();
  }
  assert.equal(loop.running, false);
  await timers.advance(1100);
  assert.equal(loop.running, true);
});
