/**
 * `--workers N`: each thread a deterministic slice of the arrivals; their histograms, counts,
 * errors and timelines merge exactly into one result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { chooseWorkers } from '../../loadtests/autocannon/worker-count.js';
import { LoadCollector } from '../../loadtests/collector.js';
import { LatencyHistogram } from '../../results/histogram.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { scenarioOf } from './scenario.js';
import { startServer, type TestServer } from './servers.js';

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('merging collectors', () => {
  it('merged HDR, counts, errors and timeline equal one collector that recorded the union', () => {
    const names = ['a', 'b'];
    const one = new LoadCollector(names);
    const parts = [new LoadCollector(names), new LoadCollector(names), new LoadCollector(names)];
    for (const p of parts) p.keepIntervals = true;
    // A deterministic spread of latencies over 3 s, dealt round-robin to the parts, recorded in
    // completion order (as a run observes them).
    const events = Array.from({ length: 3000 }, (_, i) => ({
      i,
      intended: i / 1000,
      latency: 0.0005 + ((i * 7919) % 1000) / 2000,
    })).sort((x, y) => x.intended + x.latency - (y.intended + y.latency));
    for (const { i, intended, latency } of events) {
      const j = i % 2;
      const part = parts[i % 3];
      for (const c of [one, part]) {
        c.sent++;
        if (i % 97 === 0) c.fail(j, i % 2 ? 'timeout' : 'status_503', intended + latency, intended);
        else c.ok(j, intended, intended + latency / 2, intended + latency);
      }
    }
    for (const c of [one, ...parts]) c.advance(4);
    const merged = LoadCollector.merged(
      names,
      parts.map((p) => p.state()),
    );
    merged.advance(4);
    const meta = {
      scenario: 's',
      scenarioHash: 'h',
      seed: 1,
      tool: 'autocannon',
      seconds: 4,
      partial: false,
      target: { url: 'http://127.0.0.1' },
    };
    const a = one.result(meta);
    const b = merged.result(meta);
    expect(parts.reduce((s, p) => s + p.journeys[0].count, 0)).toBe(one.journeys[0].count);
    // Same buckets: every percentile and the count agree (the encodings differ only in the max's
    // rounding inside its bucket, which HDR's add() takes as the bucket's highest equivalent).
    for (const name of names) {
      const x = LatencyHistogram.decode(a.journeys[name].hdr);
      const y = LatencyHistogram.decode(b.journeys[name].hdr);
      expect(y.count).toBe(x.count);
      for (let p = 0; p <= 100; p += 0.5)
        expect(y.hdr.getValueAtPercentile(p)).toBe(x.hdr.getValueAtPercentile(p));
      const { hdr: _a, failed: fa, ...restA } = a.journeys[name];
      const { hdr: _b, failed: fb, ...restB } = b.journeys[name];
      expect(restB).toEqual(restA);
      // Failed requests' latencies merge the same way (same percentiles, exact count, sum and max).
      expect(fa?.count).toBeGreaterThan(10);
      expect({ ...fb, hdr: '' }).toEqual({ ...fa, hdr: '' });
    }
    expect(b.timeline).toEqual(a.timeline);
    expect(b.statusTimeline).toEqual(a.statusTimeline);
    // 3000 requests, every 97th failed: 31 failures (16 status_503, 15 timeout), the rest 200.
    const total = (code: string) => (b.statusTimeline?.codes[code] ?? []).reduce((x, y) => x + y, 0);
    expect([total('200'), total('503'), total('timeout')]).toEqual([3000 - 31, 16, 15]);
    expect(merged.uncorrected()).toEqual(one.uncorrected());
    expect(merged.sent).toBe(3000);
  });
});

function scenario(target: string, rate: number): Scenario {
  return scenarioOf(
    `name: workers-test
seed: 11
duration: 60s
users:
  population: 1000
  arrivals: poisson(${rate}/s)
  journeys: { a: { weight: 2, steps: [svc] }, b: { weight: 1, steps: [svc] } }
services: { svc: { time: 1ms } }
load:
  target: "http://127.0.0.1:1"
  connections: 8
  maxDuration: 60s
  profile: [{ hold: ${rate}/s, for: 1s }]
  requests: { a: "GET /a/{{user.id}}", b: "GET /b/{{user.id}}" }
`,
    { target },
  );
}

describe('--workers 2 (needs `npm run build`: worker threads run the compiled slice)', () => {
  it('sends every scheduled request once, merges exactly, and repeats the same requests for the same seed and N', async () => {
    const runs: string[][] = [];
    for (let k = 0; k < 2; k++) {
      const s = await startServer();
      servers.push(s);
      const o = await startLoad(scenario(s.url, 300), { workers: 2 }).outcome;
      const j = o.result.journeys;
      expect(j.a.count + j.b.count).toBe(300);
      expect(s.seen.length).toBe(300);
      expect(o.result.generator?.workers).toBe(2);
      expect(o.result.generator?.intended).toBe(300);
      // The merged timeline has the closed seconds of the longest thread.
      expect(o.result.timeline!.t.length).toBe(Math.floor(o.result.window.end));
      runs.push(s.seen.map((x) => x.url).sort());
    }
    expect(runs[1]).toEqual(runs[0]);
    // Slices render from different seeds: not two copies of one sequence.
    expect(new Set(runs[0]).size).toBeGreaterThan(200);
  });

  it('stops all threads within 2 s and keeps a partial result', async () => {
    const s = await startServer();
    servers.push(s);
    const sc = scenario(s.url, 100);
    sc.load!.profile = [{ kind: 'hold', rate: 100, for: 20 }];
    const run = startLoad(sc, { workers: 2 });
    // Threads load the driver (and faker) before they start: wait for measurements to flow.
    await new Promise<void>((r) => run.on('snapshot', (x) => x.completed > 30 && r()));
    const t0 = performance.now();
    run.stop();
    const r = await run.result;
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.partial).toBe(true);
    expect(r.journeys.a.count + r.journeys.b.count).toBeGreaterThan(20);
  });
});

describe('the default --workers', () => {
  const open = (rate: number, duration: number) => ({
    schedule: {
      kind: 'open' as const,
      duration,
      spacing: 'poisson' as const,
      phases: [{ kind: 'ramp' as const, from: 0, to: rate, over: duration }],
    },
  });
  const closed = (users: number, duration: number) => ({
    schedule: { kind: 'closed' as const, duration, users },
  });
  it('is the cores, minus one for a twin, but never more than the load needs or a short run can use', () => {
    // 8 cores, 60 s at a peak of 50 k/s: 8 threads; with the twin one core is left to it.
    expect(chooseWorkers(open(50_000, 60), { cores: 8, twin: false }).count).toBe(8);
    expect(chooseWorkers(open(50_000, 60), { cores: 8, twin: true }).count).toBe(7);
    // 12 k/s needs 3 threads at 5 k/s each, whatever the cores.
    const mid = chooseWorkers(open(12_000, 60), { cores: 8, twin: false });
    expect(mid).toEqual({ count: 3, why: '8 cores; peak 12000/s needs 3 at 5000/s each' });
    // A 5 s run stays on one thread: starting threads would take a large part of it.
    expect(chooseWorkers(open(50_000, 5), { cores: 8, twin: false }).count).toBe(1);
    // Closed model: 120 users need 3 threads at 50 users each.
    expect(chooseWorkers(closed(120, 60), { cores: 8, twin: false }).count).toBe(3);
    // 2 cores: two threads, one with the twin, and the reason says so.
    expect(chooseWorkers(open(50_000, 60), { cores: 2, twin: false })).toEqual({ count: 2, why: '2 cores' });
    expect(chooseWorkers(open(50_000, 60), { cores: 2, twin: true })).toEqual({
      count: 1,
      why: '2 cores minus one for the twin',
    });
  });
});

describe('--workers 2 with flows (needs `npm run build`)', () => {
  it('slices a unique feed so no row goes to two threads, merges steps and checks exactly, and gives the same rows to the same users for the same seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'backline-workers-flows-'));
    try {
      const rows = Array.from({ length: 8 }, (_, i) => `user${i}`).join('\n');
      writeFileSync(join(dir, 'accounts.csv'), `user\n${rows}\n`);
      const runs: string[][] = [];
      for (let k = 0; k < 2; k++) {
        const s = await startServer();
        servers.push(s);
        writeFileSync(
          join(dir, 's.yaml'),
          `name: workers-flows
seed: 5
duration: 1s
users:
  arrivals: "closed(users: 4, think: const(20ms))"
  journeys: { play: { steps: [svc] } }
services: { svc: { time: "const(1ms)" } }
load:
  target: ${s.url}
  connections: 8
  feeds: { accounts: { file: accounts.csv, order: unique, exhausted: stop } }
  session:
    - post: { url: "/login?u={{feed.accounts.user}}", check: { status: 200 } }
  requests:
    play:
      - get: { url: "/a?u={{feed.accounts.user}}", check: { status: 200 } }
      - get: { url: "/b?u={{feed.accounts.user}}&i={{user.id}}", check: { body: contains "ok" } }
`,
        );
        const o = await startLoad(loadScenario(join(dir, 's.yaml')), { workers: 2 }).outcome;
        const logins = s.seen.filter((q) => q.url.startsWith('/login')).map((q) => q.url);
        // Each of the 4 users logs in once with its own row: users 0 and 2 (thread 0) take rows 0
        // and 2, users 1 and 3 (thread 1) rows 1 and 3; no row twice, across both threads.
        expect(logins.sort()).toEqual([0, 1, 2, 3].map((i) => `/login?u=user${i}`));
        const play = o.result.journeys.play;
        expect(o.result.generator?.workers).toBe(2);
        expect(play.count).toBeGreaterThan(8);
        const [a, b] = play.steps!;
        const seenA = s.seen.filter((q) => q.url.startsWith('/a')).length;
        const seenB = s.seen.filter((q) => q.url.startsWith('/b')).length;
        // The merged steps count every request both threads sent, and their checks.
        expect(a.count).toBe(seenA);
        expect(b.count).toBe(seenB);
        expect(a.checks).toEqual({ status: { pass: seenA, fail: 0 } });
        expect(b.checks?.body.pass).toBe(seenB);
        expect(play.checks).toEqual({ pass: seenA + seenB, fail: 0 });
        // How many loops each user makes in 1 s is timing; which URLs it sends is not.
        runs.push([...new Set(s.seen.map((q) => `${q.method} ${q.url.replace(/&i=\d+/, '')}`))].sort());
      }
      expect(runs[1]).toEqual(runs[0]);
      expect(runs[0]).toHaveLength(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
