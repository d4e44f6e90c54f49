/**
 * Sparklines span the whole run so far, each cell the worst window (p99, errors) or the mean window
 * (throughput) of the time it covers. A frame may come only every second or two (FRAME_SHARE), and
 * the whole of `spotify` runs in 4 s: sparklines of only the last snapshots showed nothing of the
 * license errors or the us-east outage in any frame a user saw, nor in the final frame (issue 14).
 */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { layout } from '../../cli/dashboard/layout.js';
import { SLICE_EVENTS } from '../../cli/dashboard/live.js';
import { Sparklines } from '../../cli/dashboard/Sparklines.js';
import { RunSeries, sparkCells } from '../../cli/dashboard/series.js';
import { DashboardTracker } from '../../cli/dashboard/track.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';

const SPARKS = '▁▂▃▄▅▆▇█';
const level = (c: string) => SPARKS.indexOf(c);

describe('RunSeries', () => {
  it('keeps at most its cap of points over the whole run by merging neighbours, max or mean', () => {
    const worst = new RunSeries('max', 8);
    const mean = new RunSeries('mean', 8);
    for (let i = 0; i < 100; i++) {
      worst.push(i === 37 ? 1000 : 1);
      mean.push(i);
    }
    expect(worst.points().length).toBeLessThanOrEqual(8);
    expect(worst.points().length).toBeGreaterThanOrEqual(4);
    // The one spike at snapshot 37 of 100 survives every merge.
    expect(worst.points()).toContain(1000);
    // Means of equal-sized groups average to the mean of what was pushed, 49.5.
    const m = mean.points();
    expect(m[0]).toBeLessThan(m[m.length - 1]);
    expect(m[0]).toBeGreaterThanOrEqual(0);
    expect(m[m.length - 1]).toBeLessThanOrEqual(99);
  });

  it('skips windows without a figure (NaN) and reads NaN where every window lacked one', () => {
    const s = new RunSeries('max', 4);
    for (const x of [Number.NaN, 2, Number.NaN, Number.NaN, Number.NaN, Number.NaN]) s.push(x);
    const p = s.points();
    expect(p[0]).toBe(2);
    expect(Number.isNaN(p[p.length - 1])).toBe(true);
  });
});

describe('sparkCells', () => {
  it('fits a longer history into the width, each cell combining the points it covers', () => {
    const values = Array.from({ length: 30 }, (_, i) => (i === 20 ? 9 : 1));
    const cells = sparkCells(values, 10, 'max');
    expect(cells).toHaveLength(10);
    expect(cells[6]).toBe(9);
    expect(cells.filter((c) => c === 9)).toHaveLength(1);
    expect(sparkCells([1, 2, 3, 4], 2, 'mean')).toEqual([1.5, 3.5]);
    expect(sparkCells([1, 2], 5, 'mean')).toEqual([1, 2]);
  });
});

describe('the final frame of spotify', () => {
  it('keeps the license errors and the us-east outage in its sparklines (they showed only the last ~40 s)', async () => {
    const scenario = loadScenario('spotify', ['users.arrivals=poisson(200/s)']);
    const run = simulate(scenario, { sliceEvents: SLICE_EVENTS / 5 });
    const t = new DashboardTracker(scenario, scenario.seed, 1);
    let wall = 0;
    run.on('snapshot', (s) => t.update(s, (wall += 100)));
    t.finish(await run.result);
    const view = t.view();
    const l = layout(80, 24, { journeys: view.journeys.length, services: 0, budgets: 1, extras: 0 });
    const { lastFrame } = render(<Sparklines journeys={view.journeys} layout={l} />);
    const rows = (lastFrame() ?? '').split('\n');
    // `play thr ▇▇▇ 180/s p99 ▇▇▇ 209ms err ▁▁█ 0.4%`: the third run of sparks is the error rate.
    const sparks = (name: string) => rows.find((r) => r.startsWith(`${name} `))?.match(/[▁▂▃▄▅▆▇█]+/g) ?? [];
    const [, , playErr] = sparks('play');
    const [, searchP99] = sparks('search');
    expect(playErr).toHaveLength(l.spark);
    // The license errors (210–240 s of 300) are the worst cell of play's error rate, near 70–80 %
    // of the width; before and after them play fails under a tenth as often.
    const cell = (x: number) => Math.floor((x / 300) * l.spark);
    expect(level(playErr[cell(225)])).toBe(7);
    expect(level(playErr[cell(100)])).toBeLessThanOrEqual(1);
    // The outage (150–180 s) raises search's p99 by over half: its cells stand above the warm ones.
    expect(level(searchP99[cell(165)])).toBeGreaterThan(level(searchP99[cell(100)]));
  }, 60_000);
});
