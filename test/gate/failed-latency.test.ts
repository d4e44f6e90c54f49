/**
 * Failed journeys' latency is reported apart from the successful ones' percentiles (issue 10):
 * `journeys.<j>.failed` in the RunResult of simulations (both engines), open-model load runs, worker
 * merges, k6 points and merged RunResults, and shown by the summary, the HTML and Markdown reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../cli/format.js';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { LoadCollector } from '../../loadtests/collector.js';
import { K6PointsImport } from '../../loadtests/k6/import.js';
import { checkRunResult, mergeRunResults } from '../../loadtests/k6/merge.js';
import { renderHtml } from '../../reports/html.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { parseScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';
import { startServer, type TestServer } from '../load/servers.js';

const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

// Every order waits 200 ms at `front`, then meets `back`: one worker, no waiting room, 10 s of work.
// At 20/s nearly every order is rejected there, exactly 200 ms after it started; the few that get
// the worker take 10.2 s. Hand-computed: failures at 200 ms, successes at 10 200 ms.
const TWO_STEP = `
name: failed-latency
seed: 3
duration: 200s
warmup: 20s
users:
  arrivals: poisson(20/s)
  journeys:
    order: { steps: [front, back] }
services:
  front: { workers: 1000, time: const(200ms) }
  back: { workers: 1, queue: 0, time: const(10s) }
`;

describe('failed journeys in the simulation', () => {
  for (const engine of ['auto', 'topology'] as const) {
    it(`reports how long rejected journeys took apart from the successful ones (engine ${engine})`, () => {
      const r = simulateSync(parseScenario(TWO_STEP, 'failed-latency.yaml'), { engine });
      const j = r.journeys.order;
      const failures = sum(j.errors);
      expect(j.errors.rejected).toBe(failures);
      expect(failures).toBeGreaterThan(3000);
      expect(j.failed?.count).toBe(failures);
      // HDR keeps 3 significant digits: 200 ms is 200.0–200.2.
      expect(j.failed?.latency.p50).toBeGreaterThanOrEqual(200);
      expect(j.failed?.latency.p50).toBeLessThan(200.3);
      expect(j.failed?.latency.max).toBeCloseTo(200, 6);
      expect(j.failed?.latency.mean).toBeCloseTo(200, 3);
      // The successful journeys' percentiles are untouched by the 200 ms failures.
      expect(j.latency.p50).toBeGreaterThanOrEqual(10_200);
      expect(j.latency.p50).toBeLessThan(10_220);
    });
  }

  it('times a failure by the caller timeout that ended it (100 ms against 1 s of work)', () => {
    const r = simulateSync(
      parseScenario(
        `
name: timeouts
seed: 1
duration: 60s
users:
  arrivals: poisson(5/s)
  journeys:
    slow: { steps: [api] }
services:
  api: { workers: 100, time: const(1s), timeout: 100ms }
`,
        'timeouts.yaml',
      ),
    );
    const j = r.journeys.slow;
    expect(j.errorRate).toBe(1);
    expect(j.failed?.count).toBe(j.errors.timeout);
    expect(j.failed?.latency.p99).toBeGreaterThanOrEqual(100);
    expect(j.failed?.latency.p99).toBeLessThan(100.2);
    expect(j.latency.p99).toBe(0);
  });

  it('pools failures over replications and leaves a journey without failures without the block', () => {
    const r = simulateSync(parseScenario(TWO_STEP, 'failed-latency.yaml', ['replications=3']));
    expect(r.journeys.order.failed?.count).toBe(sum(r.journeys.order.errors));
    const ok = simulateSync(
      parseScenario(TWO_STEP, 'ok.yaml', ['services.back.queue=100000', 'duration=30s']),
    );
    expect(sum(ok.journeys.order.errors)).toBe(0);
    expect(ok.journeys.order).not.toHaveProperty('failed');
  });
});

describe('failed requests in load runs', () => {
  let server: TestServer;
  beforeAll(async () => {
    // /bad answers 503 after 80 ms, /ok answers 200 at once.
    server = await startServer((req, res) => {
      if (req.url?.startsWith('/bad')) setTimeout(() => res.writeHead(503).end('no'), 80);
      else res.end('ok');
    });
  });
  afterAll(() => server.close());

  it('an open-model run reports the 503s’ latency from the intended start, apart from the 200s', async () => {
    const s = parseScenario(
      `
name: load-failed
seed: 1
duration: 10s
users:
  arrivals: poisson(1/s)
  journeys:
    good: { steps: [svc] }
    bad: { steps: [svc] }
services:
  svc: { time: const(1ms) }
load:
  target: ${server.url}
  profile: [{ hold: 40/s, for: 2s }]
  requests:
    good: GET /ok
    bad: GET /bad
`,
      'load-failed.yaml',
    );
    const { result } = await startLoad(s).outcome;
    const bad = result.journeys.bad;
    expect(bad.errors.status_503).toBeGreaterThan(10);
    expect(bad.failed?.count).toBe(bad.errors.status_503);
    expect(bad.failed?.latency.p50).toBeGreaterThanOrEqual(80);
    // Generous: the machine may be loaded; the point is that 80 ms failures are not in `latency`.
    expect(bad.failed?.latency.p50).toBeLessThan(2000);
    expect(bad.latency.p50).toBe(0);
    expect(result.journeys.good.count).toBeGreaterThan(10);
    expect(result.journeys.good).not.toHaveProperty('failed');
  });

  it('merges worker threads’ failure histograms exactly (sum, max and count)', () => {
    const a = new LoadCollector(['j']);
    const b = new LoadCollector(['j']);
    a.fail(0, 'timeout', 1.5, 1.0);
    b.fail(0, 'status_503', 2.25, 2.0);
    b.ok(0, 2.0, 2.0, 2.01);
    // A driver that cannot tell the start (autocannon's connection errors) counts the error only.
    b.fail(0, 'refused', 3);
    const merged = LoadCollector.merged(['j'], [a.state(), b.state()]);
    const j = merged.result({
      scenario: 's',
      scenarioHash: 'h',
      seed: 1,
      tool: 't',
      seconds: 4,
      partial: false,
      target: undefined,
    }).journeys.j;
    expect(j.errors).toEqual({ refused: 1, status_503: 1, timeout: 1 });
    expect(j.failed?.count).toBe(2);
    expect(j.failed?.latency.max).toBe(500);
    expect(j.failed?.latency.mean).toBe(375);
    expect(j.failed?.sumSeconds).toBe(0.75);
  });
});

describe('failed requests from k6 and merged RunResults', () => {
  const point = (ms: number, ok: boolean, journey = 'play') =>
    JSON.stringify({
      type: 'Point',
      metric: 'http_req_duration',
      data: {
        time: '2026-12-02T10:00:01Z',
        value: ms,
        tags: { journey, status: ok ? '200' : '503', expected_response: String(ok) },
      },
    });

  function imported(lines: string[]): RunResult {
    const k = new K6PointsImport();
    k.addNdjson(lines.join('\n'));
    return k.result({ scenario: 's', hash: 'h' });
  }

  it('k6 points with expected_response false go to `failed`, never into the percentiles', () => {
    const r = imported([point(20, true), point(30, true), point(250, false), point(750, false)]);
    const j = r.journeys.play;
    expect(j.errors).toEqual({ status_503: 2 });
    expect(j.latency.max).toBe(30);
    expect(j.failed?.count).toBe(2);
    expect(j.failed?.latency.mean).toBe(500);
    expect(j.failed?.latency.max).toBe(750);
  });

  it('merging runners adds the failure histograms with the exact max', () => {
    const m = mergeRunResults([
      imported([point(20, true), point(250.5, false)]),
      imported([point(30, true), point(999.9, false), point(100, false)]),
    ]);
    expect(m.journeys.play.failed?.count).toBe(3);
    expect(m.journeys.play.failed?.latency.max).toBe(999.9);
    expect(m.journeys.play.failed?.sumSeconds).toBeCloseTo(1.3504, 9);
  });

  it('refuses a RunResult whose failed block is malformed, naming the field', () => {
    const good = imported([point(20, true), point(250, false)]) as unknown as Record<string, unknown>;
    const hostile: [unknown, RegExp][] = [
      [
        { count: -1, sumSeconds: 0, latency: { max: 1 }, hdr: '' },
        /journeys\["play"\]\.failed needs a count/,
      ],
      [{ count: 1, sumSeconds: 0.1, latency: {}, hdr: '' }, /failed\.latency needs a max/],
      [
        { count: 1, sumSeconds: 0.1, latency: { max: 1 }, hdr: 'not-hdr\r\n' },
        /failed\.hdr is not an encoded HDR/,
      ],
      ['__proto__', /failed needs a count/],
    ];
    for (const [failed, msg] of hostile) {
      const copy = structuredClone(good) as { journeys: { play: Record<string, unknown> } };
      copy.journeys.play.failed = failed;
      const err = (() => {
        try {
          checkRunResult(copy as unknown as Record<string, unknown>, 'runner-1.json');
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/^runner-1\.json: malformed RunResult: /);
      expect((err as Error).message).toMatch(msg);
    }
  });
});

describe('what the reports show', () => {
  const r = simulateSync(parseScenario(TWO_STEP, 'failed-latency.yaml', ['duration=60s']));
  const f = r.journeys.order.failed!;

  it('the terminal summary has a failed-journeys table with the time until failure', () => {
    const text = formatSummary(r);
    const row = text
      .split('\n')
      .find((l) => /^order\s+[\d,]+\s+200\.0\s+200\.\d\s+200\.\d\s+200\.0$/.test(l));
    expect(text).toMatch(/^failed journeys\s+measured\s+mean ms\s+p50 ms\s+p99 ms\s+max ms$/m);
    expect(row).toContain(f.count.toLocaleString('en-US'));
  });

  it('the HTML report says whose latencies the table shows and lists the failures apart', () => {
    const html = renderHtml(r);
    expect(html).toContain('<p class="note">Latencies are of successful journeys.</p>');
    expect(html).toContain('<h3>Failed journeys: time until the failure</h3>');
    expect(html).toMatch(
      new RegExp(`<tr><td>order</td><td>${f.count.toLocaleString('en-US')}</td><td>200</td>`),
    );
  });

  it('summary.md says the percentiles are of successful journeys and what the failures took', () => {
    const md = renderMarkdown(r);
    expect(md).toMatch(
      /Latencies are of successful journeys\. Failed journeys took: order p50 200(\.\d+)? ms, p99 200(\.\d+)? ms\./,
    );
  });
});
