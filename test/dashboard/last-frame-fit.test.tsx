/**
 * The last frame and what is printed around it fit the terminal: notes go above the frame (to the
 * scrollback), the text under it is counted in rows at the terminal's width, so the frame's title
 * stays on screen (issue 14). On a fake 80×24 terminal with the crowded fixture, which wants more
 * rows than there are.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FRAME_MIN_ROWS, mountFrames } from '../../cli/dashboard/live.js';
import { displayRows } from '../../cli/dashboard/terminal-rows.js';
import { belowFrame } from '../../cli/load/after-frame.js';
import type { RunResult } from '../../results/run-result.js';
import { stripAnsi } from './ansi.js';
import { crowdedView } from './fixtures.js';
import { FakeStdin, fakeStdout } from './terminal.js';

/** A board of the crowded view on a fake `columns` × `rows` terminal without keys. */
function mount(columns: number, rows: number) {
  const stdin = new FakeStdin();
  stdin.isTTY = false;
  const stdout = fakeStdout(columns, rows);
  const board = mountFrames(
    new EventEmitter(),
    { update() {}, finish() {}, view: () => crowdedView() },
    () => false,
    { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream },
  );
  return { board, stdout };
}

/** Rows of a frame Ink wrote (its erase sequences left out; it ends with a LF). */
const frameRows = (frame: string, columns: number) =>
  displayRows(stripAnsi(frame).replace(/^\r/, ''), columns);

const result = { budgets: [] } as unknown as RunResult;

describe('the last frame fits with what is printed around it', () => {
  it('is shorter by the rows under it: a wrapped path, wide characters and later stderr rows counted', async () => {
    const { board, stdout } = mount(80, 24);
    const path = `/tmp/${'deep/'.repeat(40)}report.html`; // 216 cells: 3 rows at 80 columns
    const below = `budget failed: 推荐.p99 < 1s\nreports:\n  ${path}\n${'播放'.repeat(25)}\n`; // 100 cells: 2 rows
    expect(displayRows(below, 80)).toBe(1 + 1 + 3 + 2);
    await board.finish(result, { below, belowRows: 2 });
    expect(stdout.frames.at(-1)).toBe(below);
    const frame = stdout.frames.at(-2) ?? '';
    expect(frame).toContain('backline run mmc');
    // 24 rows: one for the prompt, 9 under the frame, so 14 at most for the frame (the layout may
    // leave one free); counting lines (4) would have given it 18 and scrolled its title away.
    const rows = frameRows(frame, 80);
    expect(rows).toBeLessThanOrEqual(24 - 1 - 9);
    expect(rows).toBeGreaterThanOrEqual(24 - 1 - 9 - 2);
  });

  it('writes notes and `above` before the last frame, once each, and keeps them out of its height', async () => {
    const { board, stdout } = mount(80, 24);
    board.settle(result);
    board.note('stopping the target; clinic doctor is analysing (this takes a while)\n');
    const table = `\nlatency from the actual send:\n${Array.from({ length: 30 }, (_, i) => `j${i}  1.0  2.0`).join('\n')}\n`;
    await board.finish(result, { above: table, below: 'finished in 3.1s\n' });
    const all = stdout.frames.map(stripAnsi).join('');
    const note = all.indexOf('clinic doctor is analysing');
    const above = all.indexOf('latency from the actual send');
    const title = all.lastIndexOf('backline run mmc');
    expect(note).toBeGreaterThan(-1);
    expect(note).toBeLessThan(above);
    expect(above).toBeLessThan(title);
    expect(all.split('clinic doctor is analysing')).toHaveLength(2);
    expect(all.split('j29  1.0  2.0')).toHaveLength(2);
    // 30 rows above take nothing from the frame: 24 - 1 - 1 under it.
    expect(frameRows(stdout.frames.at(-2) ?? '', 80)).toBeGreaterThanOrEqual(24 - 1 - 1 - 2);
    expect(frameRows(stdout.frames.at(-2) ?? '', 80)).toBeLessThanOrEqual(24 - 1 - 1);
  });

  it(`keeps the frame of ${FRAME_MIN_ROWS} rows however much is under it, and takes 0 columns as 80`, async () => {
    const lastFrame = async (columns: number, under: number) => {
      const { board, stdout } = mount(columns, 24);
      await board.finish(result, { below: 'x\n'.repeat(under) });
      return stripAnsi(stdout.frames.at(-2) ?? '');
    };
    // 13 rows under it leave the frame exactly its minimum; 40 rows do not take it below that.
    const least = await lastFrame(80, 24 - 1 - FRAME_MIN_ROWS);
    expect(least).toContain('backline run mmc');
    expect(await lastFrame(0, 40)).toBe(least);
    // The crowded fixture's smallest layout keeps the title, one journey, one service and a budget
    // line, content and faults: it is never more than a couple of rows over the minimum.
    expect(frameRows(least, 80)).toBeLessThanOrEqual(FRAME_MIN_ROWS + 2);
  });
});

describe('what load prints under its last frame', () => {
  const failed = {
    budgets: [
      { expr: 'recommendations.p99 < 400ms', pass: false },
      { expr: 'play\r\n✓ forged.p99 < 1s', pass: false },
      { expr: 'search.p99 < 1s', pass: true },
    ],
  } as unknown as RunResult;

  it('cuts the failed budgets and the pointer to one row each, a CR/LF in a name flattened', () => {
    const { below, belowRows } = belowFrame(
      failed,
      {
        above: { notices: true, uncorrected: true, predicted: true },
        finished: 'finished in 3.4s\n',
        listing: 'reports:\n  /tmp/out/result.json\n',
        failures: `backline: run failed: ${'no requests of journey play succeeded '.repeat(3)}\n`,
      },
      40,
    );
    const lines = (below ?? '').split('\n');
    expect(lines[0]).toBe('budget failed: recommendations.p99 < 40…');
    expect(lines[1]).toBe('scroll up for: notices, uncorrected lat…');
    expect(lines.slice(2)).toEqual(['finished in 3.4s', 'reports:', '  /tmp/out/result.json', '']);
    expect(displayRows(below ?? '', 40)).toBe(5);
    // The stderr line of 135 cells printed after: 4 rows at 40 columns.
    expect(belowRows).toBe(4);
  });

  it('says nothing of what is above when nothing is, and no budget line when none failed', () => {
    const { below, belowRows } = belowFrame(
      { budgets: [] } as unknown as RunResult,
      {
        above: { notices: false, uncorrected: false, predicted: false },
        finished: 'stopped early after 1.0s\n',
        listing: '',
        failures: '',
      },
      undefined,
    );
    expect(below).toBe('stopped early after 1.0s\n');
    expect(belowRows).toBe(0);
  });
});
