/**
 * The twin's per-service metrics: a twin in this process answers known requests and its scrape must
 * count exactly what it served (by status and cause), with latencies its service times allow and a
 * text `promtool check metrics` accepts; `backline serve --metrics` is scraped by Debian's real
 * Prometheus, and `backline load --twin --metrics` exports the twin's process's figures, equal to the
 * RunResult's services at the end.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { MetricsExporter } from '../../metrics/export.js';
import { loadScenario } from '../../scenarios/load.js';
import { backlineAsync, ROOT } from '../cli.js';
import { freePort, has, startPrometheus } from './prometheus-server.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';

/** The value of the one sample of `name` whose labels include all of `labels` (0 when none). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const ls = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([k, v]) => ls.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** `n` GETs of `url`, `parallel` at a time; their statuses. */
async function hit(url: string, n: number, parallel = 8): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, n - i) }, () =>
      fetch(url).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

describe('twin per-service metrics, in process', () => {
  let twin: Twin;
  let exporter: MetricsExporter;
  let text = '';
  let tinyStatuses: number[] = [];

  beforeAll(async () => {
    twin = await startTwin(loadScenario(FIXTURE, []));
    exporter = (await MetricsExporter.start({ metrics: '0' }, { kind: 'twin', scenario: 'twin-trace' }))!;
    exporter.followTwin(
      () => twin.figures(),
      () => twin.now(),
    );
    const e = twin.endpoints.url;
    expect(await hit(`${e}/journeys/browse`, 40)).toEqual(new Array(40).fill(200));
    expect(await hit(`${e}/journeys/price`, 10)).toEqual(new Array(10).fill(200));
    // Five at once at one worker with one waiting place: two served (1 s each), three rejected.
    tinyStatuses = await hit(`${e}/journeys/tiny`, 5, 5);
    text = await (await fetch(exporter.server!.url)).text();
  }, 30_000);
  afterAll(async () => {
    await exporter?.close(0);
    await twin?.stop();
  });

  it('counts exactly what each service served, by status and cause', () => {
    const served = twin.services();
    const ok = (service: string) =>
      sample(text, 'backline_service_requests_total', { service, status: '200', cause: 'ok' });
    expect(ok('api')).toBe(40);
    expect(ok('catalog')).toBe(40);
    expect(ok('storage')).toBe(40);
    expect(ok('reviews')).toBe(40);
    // 40 calls from api and 10 journeys straight to pricing.
    expect(ok('pricing')).toBe(50);
    for (const s of ['api', 'catalog', 'storage', 'reviews', 'pricing']) expect(ok(s)).toBe(served[s].served);
    expect(tinyStatuses.filter((s) => s === 200)).toHaveLength(2);
    expect(ok('tiny')).toBe(2);
    expect(
      sample(text, 'backline_service_requests_total', { service: 'tiny', status: '503', cause: 'rejected' }),
    ).toBe(3);
    expect(served.tiny.rejected).toBe(3);
  });

  it('has latency histograms per service that the service times allow', () => {
    const count = (service: string) =>
      sample(text, 'backline_service_request_duration_seconds_count', { service });
    const sum = (service: string) =>
      sample(text, 'backline_service_request_duration_seconds_sum', { service });
    expect(count('api')).toBe(40);
    expect(count('tiny')).toBe(2);
    // api waits for its own time, catalog (and its storage read), then the slower of reviews and
    // pricing: means 21.6 + 32.5 + 10.8 + ≥ 27 ms ≥ 90 ms; 40 lognormal draws put the sample mean
    // above 70 ms with a wide margin (its standard deviation is ≈ 5 ms).
    expect(sum('api') / count('api')).toBeGreaterThan(0.07);
    expect(sum('api') / count('api')).toBeLessThan(1);
    // tiny holds its worker 1 s: one answer after ≈ 1 s, the one that waited after ≈ 2 s.
    expect(
      sample(text, 'backline_service_request_duration_seconds_bucket', { service: 'tiny', le: '0.5' }),
    ).toBe(0);
    expect(sum('tiny')).toBeGreaterThan(2.9);
    // Buckets are cumulative and end at the count.
    expect(
      sample(text, 'backline_service_request_duration_seconds_bucket', { service: 'api', le: '+Inf' }),
    ).toBe(40);
    expect(
      sample(text, 'backline_service_request_duration_seconds_bucket', { service: 'api', le: '0.05' }),
    ).toBeLessThan(
      sample(text, 'backline_service_request_duration_seconds_bucket', { service: 'api', le: '0.25' }) + 1,
    );
  });

  it('shows nothing in flight once all is answered, and utilization as busy over capacity', () => {
    for (const s of ['api', 'tiny']) {
      expect(sample(text, 'backline_service_requests_in_flight', { service: s })).toBe(0);
      expect(sample(text, 'backline_service_busy_workers', { service: s })).toBe(0);
      expect(sample(text, 'backline_service_queue_length', { service: s })).toBe(0);
    }
    expect(sample(text, 'backline_service_workers', { service: 'api' })).toBe(64);
    const busy = sample(text, 'backline_service_worker_busy_seconds_total', { service: 'tiny' });
    const cap = sample(text, 'backline_service_worker_capacity_seconds_total', { service: 'tiny' });
    // tiny's one worker was busy 2 s (two 1 s requests) over the twin's life so far.
    expect(busy).toBeGreaterThan(1.95);
    expect(busy).toBeLessThan(2.5);
    expect(cap).toBeGreaterThan(busy);
    expect(sample(text, 'backline_service_utilization_ratio', { service: 'tiny' })).toBeCloseTo(
      busy / cap,
      2,
    );
    expect(text).toContain('kind="twin"');
    // serve has no journeys of its own to export, nor a load generator.
    expect(text).not.toContain('backline_requests_sent_total');
  });

  it('passes promtool check metrics', () => {
    if (!has('promtool')) {
      console.log('skipped: promtool is not installed (Debian package prometheus)');
      return;
    }
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('backline serve --metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backline-serve-prom-'));
  let prometheus: ChildProcess | undefined;
  let serve: ChildProcess | undefined;
  afterAll(() => {
    prometheus?.kill('SIGTERM');
    serve?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it("is scraped by a real Prometheus whose counts equal the twin's", async () => {
    if (!has('prometheus')) {
      console.log('skipped: the prometheus binary is not installed (Debian package prometheus)');
      return;
    }
    const metricsPort = await freePort();
    const started = await startPrometheus(dir, metricsPort);
    prometheus = started.child;
    serve = spawn(
      process.execPath,
      [`${ROOT}dist/cli/main.js`, 'serve', FIXTURE, '--json', '--metrics', `127.0.0.1:${metricsPort}`],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve!.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      serve!.once('exit', (code) => reject(new Error(`serve exited ${code}`)));
    });
    const url = (JSON.parse(line) as { url: string }).url;
    expect(await hit(`${url}/journeys/browse`, 30)).toEqual(new Array(30).fill(200));
    const promUrl = started.url;
    const query = async (expr: string): Promise<number | undefined> => {
      const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`).catch(
        () => undefined,
      );
      if (!r?.ok) return undefined;
      const body = (await r.json()) as { data: { result: { value: [number, string] }[] } };
      return body.data.result.length > 0 ? Number(body.data.result[0].value[1]) : undefined;
    };
    // Prometheus starts and scrapes every second: wait (up to 30 s on a loaded machine) for a scrape
    // taken after the last answer.
    // The server counts an answer when its response closes, which on a loaded machine may come a
    // moment after the client has read it: wait for a scrape that has them all at every hop.
    const expected = { storage: 30, api: 30, pricing: 30 };
    let seen = {};
    for (let i = 0; i < 150; i++) {
      seen = {
        storage: await query('backline_service_requests_total{service="storage",status="200"}'),
        api: await query('sum(backline_service_requests_total{service="api"})'),
        pricing: await query('backline_service_request_duration_seconds_count{service="pricing"}'),
      };
      if (JSON.stringify(seen) === JSON.stringify(expected)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen).toEqual(expected);
    expect(await query('sum(backline_service_requests_in_flight)')).toBe(0);
    const p50 = await query(
      'histogram_quantile(0.5, sum by (le) (backline_service_request_duration_seconds_bucket{service="catalog"}))',
    );
    // catalog's own 30 ms median plus storage's 10 ms: ≈ 45 ms with overhead. histogram_quantile
    // interpolates inside the 25-50 ms or 50-100 ms bucket, so the estimate lies in (25 ms, 100 ms].
    expect(p50).toBeGreaterThan(0.025);
    expect(p50).toBeLessThanOrEqual(0.1);
  }, 60_000);
});

describe('backline load --twin --metrics', () => {
  it("exports the twin's per-service figures, equal to the RunResult's services at the end", async () => {
    const port = await freePort();
    let last = '';
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = await fetch(`http://127.0.0.1:${port}/metrics`)
          .then((r) => r.text())
          .catch(() => '');
        if (t) last = t;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const run = await backlineAsync([
      'load',
      FIXTURE,
      '--twin',
      '--rate',
      '20',
      '--duration',
      '3s',
      '--metrics',
      `127.0.0.1:${port}`,
      '--allow-late',
      '--json',
    ]);
    polling = false;
    await poller;
    const result = JSON.parse(run.stdout) as {
      services: Record<string, { served: number; rejected: number }>;
    };
    expect(result.services.api.served).toBeGreaterThan(20);
    // The exporter waits for one scrape after the run, so the last text is the final one.
    expect(sample(last, 'backline_run_finished', {})).toBe(1);
    for (const s of ['api', 'catalog', 'storage', 'pricing']) {
      const answered = sample(last, 'backline_service_requests_total', {
        service: s,
        status: '200',
        cause: 'ok',
      });
      expect({ s, answered }).toEqual({ s, answered: result.services[s].served });
    }
    expect(sample(last, 'backline_service_request_duration_seconds_count', { service: 'api' })).toBe(
      result.services.api.served,
    );
    expect(last).toContain('kind="load"');
  }, 60_000);
});
