/**
 * The live frames' budget: a frame may take at most FRAME_SHARE (2 %) of the wall time, so a slow
 * frame (a crowded machine, a big terminal) lowers the frame rate instead of slowing the run it
 * watches. `bench dashboard-overhead` measures the effect; this checks the rule with a view that
 * takes 20 ms to build, against snapshots every 5 ms for 1.2 s and a 50 ms frame timer.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FRAME_SHARE, type FrameTracker, mountFrames } from '../../cli/dashboard/live.js';
import type { RunResult } from '../../results/run-result.js';
import { smallView } from './fixtures.js';
import { FakeStdin, fakeStdout } from './terminal.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy for `ms` of wall time, as a slow frame is. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** The frames of `tracker` on a fake 100×30 terminal without keys, on a 50 ms timer. */
function mount(source: EventEmitter, tracker: FrameTracker<unknown>) {
  const stdin = new FakeStdin();
  stdin.isTTY = false;
  return mountFrames(source, tracker, () => false, {
    stdout: fakeStdout(100, 30) as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    intervalMs: 50,
  });
}

/** Sends snapshots every 5 ms for `ms` of wall time, then finishes: the frames drawn meanwhile. */
async function feed(source: EventEmitter, board: ReturnType<typeof mount>, ms: number) {
  const first = board.renders;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    source.emit('snapshot', {});
    await sleep(5);
  }
  const drawn = board.renders - first;
  const seconds = (performance.now() - t0) / 1000;
  await board.finish({} as RunResult);
  return { drawn, seconds };
}

describe('frame budget of the live dashboard', () => {
  it('draws a 20 ms frame at most once per 20 ms / 2 % = 1 s, while snapshots keep coming', async () => {
    expect(FRAME_SHARE).toBe(0.02);
    const source = new EventEmitter();
    let slow = false;
    const tracker = {
      update() {},
      finish() {},
      view() {
        if (slow) busy(20);
        return smallView();
      },
    };
    const board = mount(source, tracker);
    slow = true;
    const { drawn, seconds } = await feed(source, board, 1200);
    // Without the budget the 50 ms timer draws ~24 frames here (fewer only if the machine delays it).
    // With it: the first frame at once, then one per second of wall time at most.
    expect(drawn).toBeGreaterThanOrEqual(1);
    expect(drawn).toBeLessThanOrEqual(1 + Math.ceil(seconds));
  });

  it('lets a cold first frame (200 ms) hold the next one back for under a second, not 200 ms / 2 % = 10 s', async () => {
    // Measured on `load spotify --twin` at load average 4.8: the first drawn frame took 193 ms (Ink
    // and React compiling their render path), the next 19–55 ms; the display stood at 0.0 s for 10 s.
    const source = new EventEmitter();
    let views = 0;
    const tracker = {
      update() {},
      finish() {},
      view() {
        views++;
        // The first view is Ink's mount, not timed; the first timed frame is the cold one.
        busy(views === 2 ? 200 : 10);
        return smallView();
      },
    };
    const board = mount(source, tracker);
    const { drawn, seconds } = await feed(source, board, 2500);
    // The cold frame, the next at the next tick, then warm ones 10 ms / 2 % = 0.5 s apart: about 5
    // in 2.5 s on a quiet machine, at least 2 on a crowded one (1 before the fix: the next at 10 s).
    expect(drawn).toBeGreaterThanOrEqual(2);
    expect(drawn).toBeLessThanOrEqual(2 + Math.ceil(seconds / 0.5));
  });
});
