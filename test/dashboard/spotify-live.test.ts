import { describe, expect, it } from 'vitest';
import { DashboardTracker } from '../../cli/dashboard/track.js';
import type { DashboardView, JourneyView } from '../../cli/dashboard/view.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';

// The flagship scenario at a fifth of its arrivals (the same faults at the same times), sliced
// finely so snapshots come every few simulated seconds as they do on a fast terminal.
const scenario = loadScenario('spotify', ['users.arrivals=poisson(200/s)']);

interface Frame {
  time: number;
  view: DashboardView;
  /** Since-start error share of `play`, as the dashboard showed it before windows. */
  playErrorsSinceStart: number;
}

async function watch(): Promise<{ frames: Frame[]; result: Awaited<ReturnType<typeof simulate>['result']> }> {
  const run = simulate(scenario, { sliceEvents: 15_000 });
  const t = new DashboardTracker(scenario, scenario.seed, 1);
  const frames: Frame[] = [];
  let wall = 0;
  run.on('snapshot', (s) => {
    t.update(s, (wall += 100));
    const play = s.journeys.find((j) => j.name === 'play');
    frames.push({
      time: s.time,
      view: t.view(),
      playErrorsSinceStart: play && play.count > 0 ? play.errors / play.count : 0,
    });
  });
  return { frames, result: await run.result };
}

describe('the live view of spotify', () => {
  it('shows the us-east outage and the license errors while they happen', async () => {
    const { frames, result } = await watch();
    const row = (f: Frame, name: string) => f.view.journeys.find((j) => j.name === name) as JourneyView;
    const during = (from: number, to: number) =>
      frames.filter((f) => f.time - (f.view.window ?? 0) >= from && f.time <= to);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

    // Warm-up (30 s): no figures and no verdicts, every budget says so.
    const warm = frames.filter((f) => f.time < 30);
    expect(warm.length).toBeGreaterThan(3);
    for (const f of warm) {
      expect(f.view.warming).toBe(true);
      expect(row(f, 'play').budget).toBe('warming');
      expect(row(f, 'play').p99).toBeNaN();
      expect(f.view.budgets.map((b) => b.state)).toEqual(['warming', 'warming', 'warming', 'warming']);
    }

    // License errors (210–240 s): play fails 3–4 % of the time in the window, while since the start
    // the share never reaches 1 %; the live budget fails and recovers after.
    const license = during(210, 240);
    expect(license.length).toBeGreaterThanOrEqual(4);
    for (const f of license) {
      expect(row(f, 'play').errorRate).toBeGreaterThan(0.03);
      expect(f.playErrorsSinceStart).toBeLessThan(0.006);
      expect(row(f, 'play').budget).toBe('fail');
      expect(f.view.budgets[1]).toMatchObject({ expr: 'play.errors < 1%', state: 'fail' });
    }
    for (const f of during(245, 300)) expect(row(f, 'play').errorRate).toBeLessThan(0.002);

    // The us-east outage (150–180 s): the gateway is down to its 6 eu-west replicas and search's
    // p99 over the window rises by more than half (its users cross the Atlantic).
    const outage = during(150, 180);
    const before = during(120, 150);
    expect(outage.length).toBeGreaterThanOrEqual(4);
    for (const f of outage) expect(f.view.services.find((s) => s.name === 'gateway')?.replicas).toBe(6);
    const p99 = (fs: Frame[]) => median(fs.map((f) => row(f, 'search').p99));
    expect(p99(outage)).toBeGreaterThan(1.5 * p99(before));

    // Non-journey budgets are judged live too, on the figures so far.
    const late = frames[frames.length - 1].view.budgets;
    expect(late.map((b) => b.expr)).toEqual([
      'play.p99 < 400ms',
      'play.errors < 1%',
      'plays.lag.p99 < 10s',
      'p2p.server_share < 15%',
    ]);
    expect(late[2].value).toMatch(/^3\.\d\ds$/);
    expect(late[3].value).toMatch(/^6\.\d%$/);
    expect(result.budgets.map((b) => b.pass)).toEqual([true, true, true, true]);
  }, 60_000);
});
