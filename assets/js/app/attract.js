// The museum kiosk's idle timer and attract loop (issue 14): after `idle` ms without input the
// page resets and, cycle after cycle, draws a real test digit stroke by stroke onto the pad
// while the timeline plays from the untrained network to the trained one. Any input ends it.
// DOM-free: time comes from injected timers, so node tests drive it with a fake clock; what a
// cycle does to the page goes through the hooks (panels/kiosk-mode.js and main.js wire them).

export const DEFAULT_IDLE_S = 90;
export const MIN_IDLE_S = 1;
export const DEFAULT_CYCLE_S = 12;
export const MIN_CYCLE_S = 0.3;

// Within one cycle (fractions of its length): the digit is drawn first, the timeline plays
// across most of it, and the finished picture holds at the end.
const DRAW_END = 0.45;
const TIMELINE_START = 0.05;
const TIMELINE_END = 0.85;
const INK_FROM = 0.35; // digit pixels at least this dark become strokes

/**
 * The kiosk's numbers from the page address: ?idle=SECONDS (default 90) and
 * ?attract-cycle=SECONDS (default 12). A bad value falls back to its default with a warning;
 * a value below the minimum is raised to it. Never throws.
 * @returns {{idleMs: number, cycleMs: number, warnings: string[]}}
 */
export function readAttractOptions(search) {
  const params = new URLSearchParams(search);
  const warnings = [];
  const seconds = (name, fallback, minimum) => {
    const text = params.get(name);
    if (text === null) return fallback;
    const value = /^\d{1,7}(\.\d{1,3})?$/.test(text.trim()) ? Number(text) : NaN;
    if (!Number.isFinite(value)) {
      warnings.push(`?${name}=${text.slice(0, 40)} is not a number of seconds: using ${fallback}`);
      return fallback;
    }
    return Math.max(minimum, value);
  };
  const idle = seconds("idle", DEFAULT_IDLE_S, MIN_IDLE_S);
  const cycle = seconds("attract-cycle", DEFAULT_CYCLE_S, MIN_CYCLE_S);
  return { idleMs: idle * 1000, cycleMs: cycle * 1000, warnings };
}

/**
 * A rows×columns digit (ink 0..1, row-major) as pen strokes on a width×height pad: one straight
 * stroke along each run of ink in a row, top to bottom — how a plotter would draw it.
 * @returns {number[][][]} strokes, each [[x0, y], [x1, y]] in pad pixels
 */
export function digitStrokes(pixels, rows, columns, width, height) {
  const cellX = width / columns;
  const cellY = height / rows;
  const strokes = [];
  for (let row = 0; row < rows; row++) {
    const y = (row + 0.5) * cellY;
    let start = -1;
    for (let column = 0; column <= columns; column++) {
      const inked = column < columns && pixels[row * columns + column] >= INK_FROM;
      if (inked && start < 0) start = column;
      if (!inked && start >= 0) {
        strokes.push([
          [(start + 0.5) * cellX, y],
          [(column - 0.5) * cellX, y],
        ]);
        start = -1;
      }
    }
  }
  return strokes;
}

/**
 * Where a cycle stands at `fraction` (0..1) of its length: how many of `strokeCount` strokes are
 * drawn and which of `snapshotCount` snapshots the timeline shows.
 */
export function attractPlan(fraction, strokeCount, snapshotCount) {
  const f = Math.min(1, Math.max(0, fraction));
  const strokes = Math.min(strokeCount, Math.ceil((strokeCount * f) / DRAW_END));
  const played = Math.min(1, Math.max(0, (f - TIMELINE_START) / (TIMELINE_END - TIMELINE_START)));
  return { strokes, snapshot: Math.round(played * Math.max(0, snapshotCount - 1)) };
}

export class AttractLoop {
  /**
   * @param {{idleMs: number, cycleMs: number}} options
   * @param {{reset: () => void, clearPad: () => void, nextDigit: () => Promise<number[][][]>,
   *          drawStroke: (stroke: number[][]) => void, showSnapshot: (index: number) => void,
   *          snapshotCount: () => number, setRunning: (running: boolean) => void,
   *          cycleDone: (cycles: number) => void}} hooks
   *   reset: the clean state (panels closed, camera home); nextDigit: the next real digit's strokes
   * @param {{setTimeout: Function, clearTimeout: Function, requestFrame: (callback: (now: number) => void) => void}} timers
   */
  constructor({ idleMs, cycleMs }, hooks, timers) {
    this.idleMs = idleMs;
    this.cycleMs = cycleMs;
    this.hooks = hooks;
    this.timers = timers;
    this.running = false;
    this.cycles = 0;
    this.idleTimer = null;
    this.cycle = null; // { start, strokes (null while the digit loads), drawn, shown }
    this.run = null; // one object per run: a frame of an ended run never ticks a later one
  }

  /** Input (or the page just opened): end the loop at once and count the idle time from now. */
  poke() {
    if (this.running) this.stop();
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = this.timers.setTimeout(() => this.begin(), this.idleMs);
  }

  begin() {
    this.idleTimer = null;
    this.running = true;
    this.cycles = 0;
    this.hooks.reset();
    this.hooks.setRunning(true);
    this.startCycle();
    const run = {};
    this.run = run;
    const frame = (now) => {
      if (this.run !== run) return;
      this.tick(now);
      this.timers.requestFrame(frame);
    };
    this.timers.requestFrame(frame);
  }

  startCycle(start = null) {
    const cycle = { start, strokes: null, drawn: 0, shown: -1 };
    this.cycle = cycle;
    this.hooks.clearPad();
    this.hooks.nextDigit().then(
      (strokes) => {
        cycle.strokes = strokes;
      },
      () => {
        cycle.strokes = []; // no digit this cycle: the timeline still plays
      },
    );
  }

  /** One animation frame of the running loop at time `now` (ms). */
  tick(now) {
    const { cycle } = this;
    cycle.start ??= now;
    const fraction = (now - cycle.start) / this.cycleMs;
    const plan = attractPlan(fraction, cycle.strokes?.length ?? 0, this.hooks.snapshotCount());
    if (cycle.strokes) {
      for (; cycle.drawn < plan.strokes; cycle.drawn++) this.hooks.drawStroke(cycle.strokes[cycle.drawn]);
    }
    if (plan.snapshot !== cycle.shown) {
      cycle.shown = plan.snapshot;
      this.hooks.showSnapshot(plan.snapshot);
    }
    if (fraction >= 1) {
      this.cycles++;
      this.hooks.cycleDone(this.cycles);
      this.startCycle(cycle.start + this.cycleMs); // on the beat: cycles do not drift by a frame each
    }
  }

  stop() {
    this.running = false;
    this.run = null;
    this.cycle = null;
    this.hooks.clearPad();
    this.hooks.setRunning(false);
  }
}
