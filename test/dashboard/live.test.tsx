import { describe, expect, it } from 'vitest';
import { mountDashboard } from '../../cli/dashboard/live.js';
import { DashboardTracker } from '../../cli/dashboard/track.js';
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
  it('derives throughput from counts over simulated time and colours live budgets', () => {
    const scenario = parseScenario(MM2('100s', 'budgets:\n  req.p99: < 3s\n'), 'live.yaml');
    const t = new DashboardTracker(scenario, 5, 1);
    t.update(
      snap({ time: 10, events: 100, journeys: [{ name: 'req', count: 16, errors: 0, p50: 600, p99: 2000 }] }),
      0,
    );
    t.update(
      snap({ time: 20, events: 300, journeys: [{ name: 'req', count: 48, errors: 4, p50: 700, p99: 3500 }] }),
      100,
    );
    const v = t.view();
    expect(v.journeys[0].throughput).toBeCloseTo(3.2, 9);
    expect(v.journeys[0].errorRate).toBeCloseTo(4 / 48, 9);
    expect(v.journeys[0].budget).toBe('fail');
    expect(v.journeys[0].breaches).toEqual(['req.p99 < 3s']);
    expect(v.journeys[0].history.p99).toEqual([2000, 3500]);
    expect(v.eventsPerSec).toBeCloseTo(2000, 6);
  });

  it('reads breakers, faults and content from richer snapshots when present', () => {
    const scenario = parseScenario(MM2('100s'), 'live.yaml');
    const t = new DashboardTracker(scenario, 5, 1);
    const rich = {
      ...snap({ time: 50, services: [{ name: 'server', replicas: 3, utilization: 0.5, queue: 1 }] }),
      faults: [{ at: 40, for: 20, label: 'slow server +200ms' }],
      cdn: { 'eu-west': { requests: 100, hits: 90 }, 'us-east': { requests: 100, hits: 70 } },
      p2p: { serverShare: 0.1, peerShare: 0.8, cacheShare: 0.1 },
      streams: { plays: { lagSeconds: { mean: 0.2, p99: 1.5, max: 3 } } },
    };
    (rich.services[0] as Record<string, unknown>).breaker = [
      [10, 'open'],
      [15, 'half-open'],
    ];
    t.update(rich as unknown as SimSnapshot, 0);
    const v = t.view();
    expect(v.services[0].breaker).toBe('half-open');
    expect(v.faults).toEqual([{ at: 40, for: 20, label: 'slow server +200ms' }]);
    expect(v.content).toEqual({
      cdnHitRatio: 0.8,
      p2p: { server: 0.1, peer: 0.8, cache: 0.1 },
      streamLag: 1.5,
    });
  });
  it('shows the final result: its budgets, service figures and faults', () => {
    const scenario = parseScenario(MM2('100s'), 'live.yaml');
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
