// The frame-rate guard's decisions, from frame times alone (pure, node-tested with synthetic
// times). The page renders on demand, so frames that follow each other closely mean someone
// is drawing, orbiting or playing the timeline; a longer gap is idle time and is not counted.
// When such frames stay under `minFps` for a whole window the detail drops one level (fewer
// connections per neuron, then a lower pixel ratio); it comes back one level at a time once
// frames run at `restoreFactor` × minFps for a window: the gap between the two rates keeps
// it from flipping back and forth.

/** Detail levels from full to lowest: the most connections per neuron shown and the pixel ratio's share. */
export const DETAIL_LEVELS = [
  { topK: Infinity, pixelScale: 1 },
  { topK: 2, pixelScale: 1 },
  { topK: 1, pixelScale: 1 },
  { topK: 1, pixelScale: 0.5 },
];

export class FrameGuard {
  constructor({ minFps = 30, windowMs = 3000, idleMs = 1500, restoreFactor = 2 } = {}) {
    this.minFps = minFps;
    this.windowMs = windowMs;
    this.idleMs = idleMs;
    this.restoreFps = minFps * restoreFactor;
    this.level = 0;
    this.last = null; // the previous frame's time
    this.busyMs = 0; // time between counted frames in this window
    this.frames = 0;
    this.lastFps = null; // the rate of the last full window (what the status line reports)
  }

  /** Record a frame at `time` (ms). Returns true when the detail level changed. */
  frame(time) {
    const gap = this.last === null ? Infinity : time - this.last;
    this.last = time;
    if (gap > this.idleMs) return false; // idle before this frame: a new stretch of interaction starts
    this.busyMs += gap;
    this.frames++;
    if (this.busyMs < this.windowMs) return false;
    const fps = (this.frames * 1000) / this.busyMs;
    this.lastFps = fps;
    this.busyMs = 0;
    this.frames = 0;
    if (fps < this.minFps && this.level < DETAIL_LEVELS.length - 1) this.level++;
    else if (fps >= this.restoreFps && this.level > 0) this.level--;
    else return false;
    return true;
  }

  get detail() {
    return DETAIL_LEVELS[this.level];
  }
}

/** The guard's minimum frame rate from the page's query (?min-fps=N, N > 0), else `fallback`. */
export function minFpsFrom(search, fallback = 30) {
  const value = Number(new URLSearchParams(search).get("min-fps"));
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
