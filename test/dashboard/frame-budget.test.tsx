/**
 * The live frames' budget: a frame may take at most FRAME_SHARE (2 %) of the wall time, so a slow
 * frame (a crowded machine, a big terminal) lowers the frame rate instead of slowing the run it
 * watches. `bench dashboard-overhead` measures the effect; this checks the rule with a view that
 * takes 20 ms to build, against snapshots every 5 ms for 1.2 s and a 50 ms frame timer.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FRAME_SHARE, mountFrames } from '../../cli/dashboard/live.js';
import type { RunResult } from '../../results/run-result.js';
import { smallView } from './fixtures.js';
import { FakeStdin, fakeStdout } from './terminal.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Busy for `ms` of wall time, as a slow frame is. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
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
    const stdout = fakeStdout(100, 30);
    const stdin = new FakeStdin();
    stdin.isTTY = false;
    const board = mountFrames(source, tracker, () => false, {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      intervalMs: 50,
    });
    const first = board.renders;
    slow = true;
    const t0 = performance.now();
    while (performance.now() - t0 < 1200) {
      source.emit('snapshot', {});
      await sleep(5);
    }
    const drawn = board.renders - first;
    const seconds = (performance.now() - t0) / 1000;
    await board.finish({} as RunResult);
    // Without the budget the 50 ms timer draws ~24 frames here (fewer only if the machine delays it).
    // With it: the first frame at once, then one per second of wall time at most.
    expect(drawn).toBeGreaterThanOrEqual(1);
    expect(drawn).toBeLessThanOrEqual(1 + Math.ceil(seconds));
  });
});
