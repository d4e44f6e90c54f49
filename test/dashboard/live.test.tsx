import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Dashboard } from '../../cli/dashboard/Dashboard.js';
import { mountDashboard } from '../../cli/dashboard/live.js';
import { DashboardTracker } from '../../cli/dashboard/track.js';
import { LatencyHistogram } from '../../results/histogram.js';
import { parseScenario } from '../../scenarios/load.js';
import { type SimSnapshot, simulate } from '../../sim/run.js';
import { stripAnsi } from './ansi.js';
import { FakeStdin, fakeStdout } from './terminal.js';

const MM2 = (duration: string, budgets = '') => `
name: live
seed: 5
duration: ${duration}
replications: 2
users:
  arrivals: poisson(1.6/s)
  journeys:
    req: { steps: [server] }
services:
  server: { workers: 2, time: exp(1s), queue: 100000 }
${budgets}`;

const snap = (over: Partial<SimSnapshot>): SimSnapshot => ({
  replication: 0,
  replications: 1,
  time: 0,
  duration: 100,
  events: 0,
  journeys: [],
  services: [],
  ...over,
});

describe('dashboard tracker', () => {
  it('shows the last seconds of simulated time, not the run so far', () => {
    const scenario = parseScenario(
      MM2('100s', 'budgets:\n  req.p99: < 3s\n  req.errors: < 10%\n'),
      'live.yaml',
    );
    const t = new DashboardTracker(scenario, 5, 1);
    const h = new LatencyHistogram();
    let count = 0;
    let errors = 0;
    const at = (time: number) =>
      t.update(
        snap({
          time,
          events: time * 100,
          journeys: [{ name: 'req', count, errors, p50: 0, p99: 0, latency: h }],
        }),
        time * 10,
      );
    // 20 s of 10 journeys a second at 1 s, then 5 s of 10 a second at 4 s with 4 in 10 failing.
    for (let s = 0; s <= 20; s++) {
      if (s > 0) for (let k = 0; k < 10; k++, count++) h.record(1);
      at(s);
    }
    const calm = t.view();
    expect(calm.window).toBe(5);
    expect(calm.journeys[0]).toMatchObject({ throughput: 10, errorRate: 0, budget: 'pass' });
    expect(calm.journeys[0].p99).toBeCloseTo(1000, -1);
    for (let s = 21; s <= 25; s++) {
      for (let k = 0; k < 6; k++, count++) h.record(4);
      count += 4;
      errors += 4;
      at(s);
    }
    const v = t.view();
    // Since the start: 20 of 250 failed (8 %) and the p99 is 4 s only just; the window has only the burst.
    expect(v.journeys[0].errorRate).toBeCloseTo(0.4, 9);
    expect(v.journeys[0].p99).toBeCloseTo(4000, -1);
    expect(v.journeys[0].budget).toBe('fail');
    expect(v.journeys[0].breaches).toEqual(['req.p99 < 3s', 'req.errors < 10%']);
    expect(v.budgets.map((b) => [b.expr, b.state, b.value])).toEqual([
      ['req.p99 < 3s', 'fail', '4.00s'],
      ['req.errors < 10%', 'fail', '40.0%'],
    ]);
    expect(v.journeys[0].history.errors.slice(-6)).toEqual([0, 0.08, 0.16, 0.24, 0.32, 0.4]);
    expect(v.eventsPerSec).toBeCloseTo(10_000, 6);
  });

  it('says warming up during the warm-up instead of judging zero samples', () => {
    const scenario = parseScenario(`${MM2('100s', 'budgets:\n  req.p99: < 3s\n')}warmup: 30s\n`, 'live.yaml');
    const t = new DashboardTracker(scenario, 5, 1);
    for (const time of [5, 10, 15])
      t.update(snap({ time, journeys: [{ name: 'req', count: 0, errors: 0, p50: 0, p99: 0 }] }), time);
    const v = t.view();
    expect(v.warming).toBe(true);
    expect(v.journeys[0].budget).toBe('warming');
    expect(v.journeys[0].p99).toBeNaN();
    const frame = stripAnsi(render(<Dashboard view={v} width={80} height={23} />).lastFrame() ?? '');
    expect(frame).toMatch(/req\s+0\.00\s+-\s+-\s+-\s+warming up/);
    expect(frame).not.toContain('0us');
    expect(frame).not.toContain('✓');
    expect(frame).toContain('~ req.p99 < 3s (warming up)');
  });

  it('judges no samples after the warm-up as no data, never as a pass', () => {
    const scenario = parseScenario(MM2('100s', 'budgets:\n  req.errors: < 1%\n'), 'live.yaml');
    const t = new DashboardTracker(scenario, 5, 1);
    for (const time of [40, 50])
      t.update(snap({ time, journeys: [{ name: 'req', count: 0, errors: 0, p50: 0, p99: 0 }] }), time);
    expect(t.view().journeys[0].budget).toBe('nodata');
    expect(t.view().budgets[0]).toMatchObject({ state: 'nodata', value: '-' });
  });

  it('shows the final result: its budgets, service figures and faults', () => {
    const scenario = parseScenario(MM2('100s', 'budgets:\n  req.p99: < 3s\n'), 'live.yaml');
    const t = new DashboardTracker(scenario, 5, 1);
    t.update(
      snap({
        time: 90,
        journeys: [{ name: 'req', count: 10, errors: 0, p50: 1, p99: 2 }],
        services: [{ name: 'server', replicas: 2, utilization: 0.1, queue: 0 }],
      }),
      0,
    );
    const latency = { p50: 800, p90: 2000, p95: 2500, p99: 4100, p999: 6000, max: 7000, mean: 1000 };
    t.finish({
      version: 1,
      kind: 'sim',
      scenario: { name: 'live', hash: 'x' },
      window: { start: 0, end: 100 },
      journeys: {
        req: { count: 160, errors: {}, errorRate: 0, throughput: 1.6, latency, hdr: '', sumSeconds: 160 },
      },
      services: {
        server: {
          replicas: 3,
          workers: 2,
          utilization: 0.8,
          queue: 2.5,
          served: 160,
          rejected: 0,
          breaker: [[50, 'open']],
        },
      },
      budgets: [{ expr: 'req.p99 < 3s', value: 4100, limit: 3000, pass: false }],
      faults: [{ at: 30, for: 10, label: 'crash server ×1' }],
    });
    const v = t.view();
    expect(v.status).toBe('done');
    expect(v.journeys[0]).toMatchObject({ throughput: 1.6, p99: 4100, count: 160, budget: 'fail' });
    expect(v.journeys[0].breaches).toEqual(['req.p99 < 3s']);
    expect(v.services[0]).toEqual({
      name: 'server',
      replicas: 3,
      utilization: 0.8,
      queue: 2.5,
      breaker: 'open',
    });
    expect(v.faults).toEqual([{ at: 30, for: 10, label: 'crash server ×1' }]);
    expect(v.window).toBeUndefined();
    expect(v.budgets).toEqual([{ expr: 'req.p99 < 3s', subject: 'req', state: 'fail', value: '4.10s' }]);
  });
});

describe('live dashboard', () => {
  it('follows a real run, pauses on p and stops on q keeping a partial result', async () => {
    const scenario = parseScenario(MM2('10000000s'), 'live.yaml');
    const run = simulate(scenario, { sliceEvents: 20_000 });
    const stdout = fakeStdout();
    const stdin = new FakeStdin();
    const board = mountDashboard(run, {
      scenario,
      seed: 5,
      replications: 2,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      intervalMs: 20,
    });
    await new Promise<void>((resolve) => run.once('snapshot', () => resolve()));
    await new Promise((r) => setTimeout(r, 60));
    stdin.type('p');
    expect(run.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    expect(stripAnsi(stdout.frames.at(-1) ?? '')).toContain('PAUSED');
    stdin.type('p');
    expect(run.paused).toBe(false);
    stdin.type('q');
    const result = await run.result;
    await board.finish(result);
    expect(result.partial).toBe(true);
    const last = stripAnsi(stdout.frames.at(-1) ?? '');
    expect(last).toContain('stopped (partial)');
    expect(last).toMatch(/req\s+1\.\d\d\s/);
    expect(board.renders).toBeGreaterThanOrEqual(3);
  });
});
