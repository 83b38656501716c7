// The frame-rate guard's decisions on synthetic frame times: slow interaction lowers the detail
// one level per window down to the lowest, idle gaps are not slow frames, fast frames restore
// one level per window, and rates between the two thresholds change nothing (hysteresis).
import assert from "node:assert/strict";
import { test } from "node:test";
import { DETAIL_LEVELS, FrameGuard, minFpsFrom } from "../../assets/js/model/frame-guard.js";

/** Feed `seconds` of frames at `fps` from `start` (ms); returns the time after the last frame and the levels seen. */
function run(guard, start, fps, seconds) {
  const levels = [];
  let time = start;
  for (let i = 0; i < fps * seconds; i++) {
    time += 1000 / fps;
    if (guard.frame(time)) levels.push(guard.level);
  }
  return { time, levels };
}

test("slow interaction lowers the detail a level per window, down to the lowest, then holds", () => {
  const guard = new FrameGuard({ minFps: 30, windowMs: 3000 });
  const { levels } = run(guard, 0, 12, 20);
  assert.deepEqual(levels, [1, 2, 3]);
  assert.equal(guard.detail, DETAIL_LEVELS.at(-1));
  assert.ok(guard.detail.topK < DETAIL_LEVELS[0].topK && guard.detail.pixelScale < 1);
  assert.ok(Math.abs(guard.lastFps - 12) < 0.5);
});

test("a few slow frames, or idle gaps between strokes, do not count", () => {
  const guard = new FrameGuard({ minFps: 30, windowMs: 3000 });
  assert.deepEqual(run(guard, 0, 10, 2).levels, []); // shorter than a window
  let time = 10_000; // idle, then strokes of fast frames with long pauses between them
  for (let stroke = 0; stroke < 10; stroke++) time = run(guard, time + 5000, 60, 1).time;
  assert.equal(guard.level, 0);
});

test("fast frames restore detail one level per window; rates between the thresholds hold it", () => {
  const guard = new FrameGuard({ minFps: 30, windowMs: 3000, restoreFactor: 2 });
  let { time } = run(guard, 0, 10, 7); // two windows: level 2
  assert.equal(guard.level, 2);
  ({ time } = run(guard, time, 45, 9)); // above 30, under 60: nothing changes
  assert.equal(guard.level, 2);
  const restored = run(guard, time, 75, 7);
  assert.deepEqual(restored.levels, [1, 0]);
});

test("?min-fps= sets the threshold; anything else keeps the default", () => {
  assert.equal(minFpsFrom("?min-fps=4"), 4);
  assert.equal(minFpsFrom("?min-fps=0"), 30);
  assert.equal(minFpsFrom("?min-fps=fast"), 30);
  assert.equal(minFpsFrom(""), 30);
});
