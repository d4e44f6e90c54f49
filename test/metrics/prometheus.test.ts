/**
 * `--metrics` end to end: a real 10 s load against a loopback server, scraped every second by Debian's
 * real Prometheus; its HTTP API must give the RunResult's request and error counts. The exposition
 * passes `promtool check metrics`. Both skip with a printed reason where the binaries are absent.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusRegistry } from '../../metrics/prometheus.js';
import { MetricsState } from '../../metrics/state.js';
import { backlineAsync } from '../cli.js';
import { freePort, has, startPrometheus } from './prometheus-server.js';

const FIXTURE = 'test/load/fixtures/load-cli.yaml';

/** A target that answers 200, except every 10th play request with 503. */
function target(): http.Server {
  let plays = 0;
  return http.createServer((req, res) => {
    const play = req.url?.includes('/play') ?? false;
    if (play && ++plays % 10 === 0) res.writeHead(503).end('busy');
    else setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 2);
  });
}

/** The part of Prometheus's /api/v1/query answer read here (an instant vector). */
interface PromAnswer {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function getJson(url: string): Promise<PromAnswer> {
  const res = await fetch(url);
  return (await res.json()) as PromAnswer;
}

const sumOf = (r: PromAnswer) => r.data.result.reduce((a, x) => a + Number(x.value[1]), 0);

describe('backline load --metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backline-prom-'));
  const server = target();
  let prometheus: ChildProcess | undefined;
  let promUrl = '';
  let metricsPort = 0;
  let targetUrl = '';

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    targetUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    metricsPort = await freePort();
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("is scraped by a real Prometheus whose request counts equal the RunResult's", async () => {
    if (!has('prometheus')) {
      console.log('skipped: the prometheus binary is not installed (Debian package prometheus)');
      return;
    }
    const started = await startPrometheus(dir, metricsPort);
    prometheus = started.child;
    promUrl = started.url;
    const run = await backlineAsync([
      'load',
      FIXTURE,
      '--set',
      `load.target=${targetUrl}`,
      '--rate',
      '40',
      '--duration',
      '10s',
      '--metrics',
      `127.0.0.1:${metricsPort}`,
      '--json',
    ]);
    expect(run.stderr).toContain(`metrics at http://127.0.0.1:${metricsPort}/metrics`);
    const result = JSON.parse(run.stdout);
    const count = Object.values(result.journeys as Record<string, { count: number }>).reduce(
      (a, j) => a + j.count,
      0,
    );
    const status503 = result.journeys.play.errors.status_503 as number;
    expect(count).toBeGreaterThan(300);
    expect(status503).toBeGreaterThan(20);

    // The exporter lingers for one scrape after the run, so the last sample is the final one.
    let finished = 0;
    for (let i = 0; i < 50 && finished !== 1; i++) {
      finished = sumOf(await getJson(`${promUrl}/api/v1/query?query=backline_run_finished`));
      if (finished !== 1) await new Promise((r) => setTimeout(r, 200));
    }
    expect(finished).toBe(1);
    const q = (expr: string) => getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    expect(sumOf(await q('sum(backline_requests_total{kind="load",scenario="load-cli"})'))).toBe(count);
    expect(sumOf(await q('backline_request_errors_total{journey="play",cause="status_503"}'))).toBe(
      status503,
    );
    expect(sumOf(await q('sum(backline_request_duration_seconds_count)'))).toBe(count - status503);
    // Prometheus saw the run while it ran, not only at its end: several samples over the 10 s.
    const range = await q('count_over_time(backline_requests_total{journey="play"}[1m])');
    expect(sumOf(range)).toBeGreaterThanOrEqual(5);
    const p99 = sumOf(
      await q('histogram_quantile(0.99, sum by (le) (backline_request_duration_seconds_bucket))'),
    );
    expect(p99).toBeGreaterThan(0);
    expect(p99).toBeLessThan(5);

    // The shipped Grafana dashboard: every query runs on this Prometheus, and names only metrics it has.
    const dashboard = JSON.parse(readFileSync('dashboards/backline.json', 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    // Every metric the exporter declares (an empty state declares them all, samples or not).
    const declared = await prometheusRegistry(new MetricsState('wall'), {
      kind: 'load',
      scenario: 'x',
    }).metrics();
    const names = new Set<string>();
    for (const [, name, type] of declared.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    }
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const concrete = expr.replaceAll('$scenario', 'load-cli').replaceAll('$kind', 'load');
        const answer = (await getJson(
          `${promUrl}/api/v1/query?query=${encodeURIComponent(concrete)}`,
        )) as unknown as {
          status: string;
        };
        expect({ panel: panel.title, status: answer.status }).toEqual({
          panel: panel.title,
          status: 'success',
        });
        for (const m of expr.match(/backline_[a-z_]+/g) ?? [])
          expect(names, `${panel.title}: ${m}`).toContain(m);
      }
    }
  }, 90_000);
});
