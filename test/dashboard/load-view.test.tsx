import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { Dashboard } from '../../cli/dashboard/Dashboard.js';
import { LoadTracker, type TwinSource, toolLabel } from '../../cli/dashboard/load-view.js';
import { loadDoneLine, loadProgressLine } from '../../cli/progress.js';
import type { LoadSnapshot } from '../../loadtests/collector.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { RunResult, ServiceResult } from '../../results/run-result.js';
import { parseScenario } from '../../scenarios/load.js';
import { colourOf, stripAnsi } from './ansi.js';

// Colours must be on for the colour assertions, whatever the test runner's terminal is.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const scenario = parseScenario(
  `
name: shop
seed: 5
duration: 60s
users:
  arrivals: poisson(50/s)
  journeys:
    play: { weight: 3, steps: [gateway] }
    search: { weight: 1, steps: [gateway] }
services:
  gateway: { replicas: 2, workers: 4, time: exp(2ms) }
budgets:
  play.p99: < 100ms
  search.p99: < 1s
load:
  target: http://127.0.0.1:9
  profile: [{ hold: 50/s, for: 10s }]
`,
  'shop.yaml',
);

/** A cumulative histogram of these latencies in ms. */
function hist(...groups: [number, number][]): LatencyHistogram {
  const h = new LatencyHistogram();
  for (const [n, ms] of groups) for (let i = 0; i < n; i++) h.record(ms / 1000);
  return h;
}

const snapshots: LoadSnapshot[] = [
  {
    elapsed: 0.5,
    duration: 10,
    sent: 25,
    completed: 24,
    inFlight: 1,
    offeredRate: 50,
    journeys: [
      {
        name: 'play',
        count: 18,
        errors: 0,
        causes: {},
        p50: 3.2,
        p99: 12.5,
        latency: hist([17, 3], [1, 12]),
      },
      { name: 'search', count: 6, errors: 1, causes: { refused: 1 }, p50: 4, p99: 20, latency: hist([5, 4]) },
    ],
  },
  {
    elapsed: 1.5,
    duration: 10,
    sent: 75,
    completed: 73,
    inFlight: 2,
    offeredRate: 50,
    journeys: [
      {
        name: 'play',
        count: 55,
        errors: 0,
        causes: {},
        p50: 3.4,
        p99: 140,
        latency: hist([17, 3], [1, 12], [36, 3.4], [1, 140]),
      },
      {
        name: 'search',
        count: 18,
        errors: 3,
        causes: { refused: 2, status_503: 1 },
        p50: 4.1,
        p99: 22,
        latency: hist([5, 4], [9, 4.1], [1, 22]),
      },
    ],
  },
];

/** A twin whose clock and counters the test sets: cumulative utilization as `Twin` reports it. */
function fakeTwin() {
  const state = { now: 0, utilization: 0, served: 0, rejected: 0 };
  const twin: TwinSource & { state: typeof state } = {
    state,
    now: () => state.now,
    services: (): Record<string, ServiceResult> => ({
      gateway: {
        replicas: 2,
        workers: 4,
        utilization: state.utilization,
        queue: 0,
        served: state.served,
        rejected: state.rejected,
      },
    }),
    faults: [
      { at: 1.8, for: 5, label: 'crash auth' },
      { at: 30, for: 5, label: 'slow gateway' },
    ],
  };
  return twin;
}

/** The tracker after both snapshots, with the twin read at 1 s and 2 s of its clock. */
function tracked() {
  const twin = fakeTwin();
  const t = new LoadTracker({ scenario, seed: 5, mode: { kind: 'open' }, twin });
  Object.assign(twin.state, { now: 1, utilization: 0.25, served: 40, rejected: 0 });
  t.update(snapshots[0]);
  Object.assign(twin.state, { now: 2, utilization: 0.5, served: 120, rejected: 3 });
  t.update(snapshots[1]);
  return t;
}

describe('load view', () => {
  it('turns load snapshots into windowed rates, causes, budgets and twin rows', () => {
    const v = tracked().view();
    // Achieved over the last second: (73 − 24) responses in 1.0 s; journeys over the window so far,
    // which starts at the run's start (1.5 s): 55 and 18 journeys.
    expect(v.load).toEqual({
      tool: 'open model · twin',
      elapsed: 1.5,
      duration: 10,
      achieved: 49,
      offered: 50,
      sent: 75,
      inFlight: 2,
      corrected: true,
    });
    expect(v.window).toBe(1.5);
    expect(v.journeys.map((j) => [j.name, j.throughput, j.errorRate, j.budget])).toEqual([
      ['play', 55 / 1.5, 0, 'fail'],
      ['search', 12, 3 / 18, 'pass'],
    ]);
    expect(v.journeys[0].breaches).toEqual(['play.p99 < 100ms']);
    expect(v.journeys[1].causes).toEqual({ refused: 2, status_503: 1 });
    expect(v.journeys[0].history.throughput).toEqual([36, 55 / 1.5]);
    expect(v.journeys[0].history.p99.map(Math.round)).toEqual([12, 140]);
    expect(v.journeys[1].history.errors).toEqual([1 / 6, 3 / 18]);
    // Busy slot-seconds 0.5 × 2 s × 8 − 0.25 × 1 s × 8 = 6 in the last second, over 8 slots.
    expect(v.services).toEqual([
      { name: 'gateway', replicas: 2, utilization: 0.75, queue: 0, rate: 80, rejected: 3 },
    ]);
    expect(v.faults).toEqual([{ at: 1.8, for: 5, label: 'crash auth', active: true }]);
  });

  it('draws tool, wall-time progress, req/s, corrected p99, causes and twin rows in a frame', () => {
    const frame = render(<Dashboard view={tracked().view()} width={100} height={24} />).lastFrame() ?? '';
    const f = stripAnsi(frame);
    expect(f).toContain('backline load shop  open model · twin  seed 5  running');
    expect(f).toMatch(/[█░]+ {2}15% {2}1\.5s\/10\.0s {2}49\.0\/50\.0 req\/s {2}75 sent {2}2 in flight$/m);
    expect(f).toMatch(/last 1\.5s\s+thr\/s\s+p50\s+p99 corr\s+errors {2}budget {6}by cause/);
    expect(f).toMatch(/play\s+36\.7\s+3\.4ms\s+140ms\s+0\.0% {2}✗ FAIL/);
    expect(f).toMatch(/search\s+12\.0\s+4\.1ms\s+22\.0ms\s+16\.7% {2}✓ pass +refused×2 · 503×1/);
    expect(f).toMatch(/service\s+repl\s+utilization\s+served\/s {2}rejected/);
    expect(f).toMatch(/gateway\s+2 [█░]+\s+75\.0%\s+80\.0 {2}3/);
    expect(f).toContain('faults ▲ 1s crash auth (active)');
    expect(f).not.toContain('slow gateway');
    expect(f).toContain('q stop (keep results)');
    expect(f).not.toContain('p pause');
    expect(colourOf(frame, '✗ FAIL')).toBe('red');
    expect(colourOf(frame, '140ms')).toBe('red');
    expect(colourOf(frame, '✓ pass')).toBe('green');
    expect(colourOf(frame, '▲ 1s')).toBe('red');
    expect(colourOf(frame, '3', '\ngateway  ')).toBeDefined();
  });

  it('fits 80 columns with the load header and the causes', () => {
    const f = stripAnsi(
      render(<Dashboard view={tracked().view()} width={80} height={24} />).lastFrame() ?? '',
    );
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    expect(f).toMatch(/ 15% {2}1\.5s\/10\.0s {2}49\.0\/50\.0 req\/s {2}75 sent {2}2 in flight$/m);
    expect(f).toMatch(/^backline load shop {2}open model · twin {2}seed 5 {2}running$/m);
  });

  it('shows the partial result in the last frame after q', () => {
    const t = tracked();
    t.setStatus('stopping');
    expect(
      stripAnsi(render(<Dashboard view={t.view()} width={100} height={24} />).lastFrame() ?? ''),
    ).toContain('stopping…');
    const latency = { p50: 3.3, p90: 9, p95: 20, p99: 88.1, p999: 120, max: 150, mean: 5 };
    const result: RunResult = {
      version: 1,
      kind: 'load',
      scenario: { name: 'shop', hash: 'x' },
      tool: 'autocannon',
      window: { start: 0, end: 1.6 },
      partial: true,
      journeys: {
        play: { count: 56, errors: {}, errorRate: 0, throughput: 35, latency, hdr: '', sumSeconds: 0.3 },
        search: {
          count: 18,
          errors: { refused: 2, status_503: 1 },
          errorRate: 0.1667,
          throughput: 11.25,
          latency,
          hdr: '',
          sumSeconds: 0.1,
        },
      },
      services: {
        gateway: { replicas: 2, workers: 4, utilization: 0.4, queue: 0, served: 128, rejected: 3 },
      },
      faults: [{ at: 1.8, for: 5, label: 'crash auth' }],
      budgets: [
        { expr: 'play.p99 < 100ms', value: 88.1, limit: 100, pass: true },
        { expr: 'search.p99 < 1s', value: 88.1, limit: 1000, pass: true },
      ],
    };
    t.finish(result);
    const frame =
      render(<Dashboard view={t.view()} width={100} height={24} keys={false} />).lastFrame() ?? '';
    const f = stripAnsi(frame);
    expect(f).toContain('seed 5  stopped (partial)');
    // The result's own throughput over its window: 35 + 11.25 per second.
    expect(f).toMatch(/ 16% {2}1\.6s\/10\.0s {2}46\.3\/50\.0 req\/s {2}74 measured/);
    expect(f).toMatch(/play\s+35\.0\s+3\.3ms\s+88\.1ms\s+0\.0% {2}✓ pass/);
    expect(f).toMatch(/search\s+11\.3\s+3\.3ms\s+88\.1ms\s+16\.7% {2}✓ pass +refused×2 · 503×1/);
    // 128 served over the 1.6 s window.
    expect(f).toMatch(/gateway\s+2 [█░]+\s+40\.0%\s+80\.0 {2}3/);
    expect(f).toContain('▲ 1s crash auth');
    expect(f).not.toContain('(active)');
    expect(colourOf(frame, '▲ 1s')).toBe('gray');
  });

  it("offers the schedule's mean rate in the last frame of a finished run, not the rate after its end (0.00)", () => {
    const t = tracked();
    // The last snapshot comes as the schedule ends: the profile offers nothing beyond its end.
    t.update({ ...snapshots[1], elapsed: 10, sent: 500, completed: 500, inFlight: 0, offeredRate: 0 });
    const latency = { p50: 3.3, p90: 9, p95: 20, p99: 88.1, p999: 120, max: 150, mean: 5 };
    const journey = { count: 490, errors: {}, errorRate: 0, throughput: 49, latency, hdr: '', sumSeconds: 2 };
    t.finish({
      version: 1,
      kind: 'load',
      scenario: { name: 'shop', hash: 'x' },
      tool: 'autocannon',
      window: { start: 0, end: 10 },
      target: { url: 'http://127.0.0.1:9', offeredRate: 50, connections: 10 },
      journeys: { play: journey },
      budgets: [],
    });
    const f = stripAnsi(
      render(<Dashboard view={t.view()} width={100} height={24} keys={false} />).lastFrame() ?? '',
    );
    expect(f).toMatch(/100% {2}10\.0s\/10\.0s {2}49\.0\/50\.0 req\/s {2}490 measured/);
  });

  it('shows the check pass rate of flows over the window and judges checks budgets on it', () => {
    const flows = parseScenario(
      `
name: flows
duration: 60s
users:
  arrivals: poisson(50/s)
  journeys:
    play: { steps: [gateway] }
services:
  gateway: { time: exp(2ms) }
budgets:
  play.checks: "> 99%"
load:
  target: http://127.0.0.1:9
`,
      'flows.yaml',
    );
    const t = new LoadTracker({ scenario: flows, seed: 5, mode: { kind: 'open' }, warmup: 1 });
    const at = (elapsed: number, count: number, pass: number, fail: number) =>
      t.update({
        ...snapshots[0],
        elapsed,
        journeys: [
          {
            name: 'play',
            count,
            errors: fail,
            causes: {},
            p50: 3,
            p99: 9,
            latency: hist([count - fail, 3]),
            checks: { pass, fail },
          },
        ],
      });
    at(0.5, 0, 0, 0);
    expect(t.view().warming).toBe(true);
    expect(t.view().budgets).toEqual([
      { expr: 'play.checks > 99%', subject: 'play', state: 'warming', value: '-' },
    ]);
    // After the 1 s warm-up: 2 of 100 checks fail by 2 s, 7 of 400 by 6 s. The window's base is the
    // newest reading at least 5 s old (1 s), so it holds all 400 checks and 200 journeys.
    at(1, 0, 0, 0);
    at(2, 50, 98, 2);
    at(6, 200, 393, 7);
    const v = t.view();
    expect(v.window).toBe(5);
    expect(v.journeys[0].checks).toBeCloseTo(393 / 400, 9);
    expect(v.budgets).toEqual([
      { expr: 'play.checks > 99%', subject: 'play', state: 'fail', value: '98.3%' },
    ]);
    const f = stripAnsi(render(<Dashboard view={v} width={100} height={24} />).lastFrame() ?? '');
    expect(f).toMatch(/last 5\.0s\s+thr\/s\s+p50\s+p99 corr\s+errors\s+checks {2}budget/);
    expect(f).toMatch(/play\s+40\.0\s+3\.0ms\s+3\.0ms\s+3\.5%\s+98\.3% {2}✗ FAIL/);
    expect(f).toContain('✗ play.checks > 99% (98.3%)');
  });

  it('names closed-model and max-throughput loads', () => {
    expect(toolLabel({ kind: 'closed', users: 20 }, false)).toBe('closed model · 20 users');
    expect(toolLabel({ kind: 'max', connections: 8 }, true)).toBe('autocannon --max · 8 conn · twin');
    const t = new LoadTracker({ scenario, seed: 5, mode: { kind: 'max' } });
    t.update({ ...snapshots[1], offeredRate: 0 });
    const f = stripAnsi(render(<Dashboard view={t.view()} width={100} height={24} />).lastFrame() ?? '');
    expect(f).toMatch(/autocannon --max {2}seed 5/);
    // No offered rate in a closed loop: achieved only (73 responses in 1.5 s).
    expect(f).toMatch(/1\.5s\/10\.0s {2}48\.7 req\/s/);
    expect(f).not.toContain('served/s');
    expect(f).toMatch(/last 1\.5s\s+thr\/s\s+p50\s+p99\s+errors/);
  });
});

describe('load progress lines', () => {
  it('say progress, counts, req/s achieved vs offered and each journey p99 and errors', () => {
    expect(loadProgressLine('shop', snapshots[1], 49)).toBe(
      'shop   15%  1.5s/10.0s  sent 75  in flight 2  49.0/50.0 req/s  play p99 140ms err 0.0%  search p99 22.0ms err 16.7%',
    );
  });

  it('end with the measured count, partial or done', () => {
    const latency = { p50: 3, p90: 9, p95: 20, p99: 88.1, p999: 120, max: 150, mean: 5 };
    const r: RunResult = {
      version: 1,
      kind: 'load',
      scenario: { name: 'shop', hash: 'x' },
      window: { start: 0, end: 2 },
      partial: true,
      journeys: {
        play: { count: 70, errors: {}, errorRate: 0, throughput: 35, latency, hdr: '', sumSeconds: 1 },
      },
      budgets: [],
    };
    expect(loadDoneLine('shop', r, 2.04)).toBe(
      'shop  stopped (partial)  70 requests measured in 2.0s  play 35.0/s p99 88.1ms err 0.0%',
    );
  });
});
