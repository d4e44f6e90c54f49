/**
 * The exporters on a real simulation, in process: the Prometheus text equals the RunResult, passes
 * `promtool check metrics`, and an OTLP/HTTP receiver written here decodes the same counts from the
 * JSON the OpenTelemetry exporter sends.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsExporter } from '../../metrics/export.js';
import { parseMetricsAddress } from '../../metrics/server.js';
import { UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';

const scenario = loadScenario('mmc', ['duration=3000s', 'warmup=100s', 'replications=2']);

async function simulated(exporter: MetricsExporter): Promise<RunResult> {
  const run = simulate(scenario, { sliceEvents: 2000 });
  let snapshots = 0;
  run.on('snapshot', () => snapshots++);
  exporter.follow(run);
  const result = await run.result;
  expect(snapshots).toBeGreaterThan(2);
  exporter.finish(result);
  return result;
}

describe('Prometheus exposition of a simulation', () => {
  let exporter: MetricsExporter;
  let result: RunResult;
  let text = '';

  beforeAll(async () => {
    exporter = (await MetricsExporter.start({ metrics: '0' }, { kind: 'sim', scenario: 'mmc' }))!;
    result = await simulated(exporter);
    text = await (await fetch(exporter.server!.url)).text();
  });
  afterAll(() => exporter.close(0));

  it('binds loopback and serves only /metrics', async () => {
    expect(exporter.server!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const other = await fetch(exporter.server!.url.replace('/metrics', '/'));
    expect(other.status).toBe(404);
  });

  it('counts, errors and histogram equal the RunResult, labelled as simulated time', () => {
    const j = result.journeys.req;
    const labels = 'journey="req",scenario="mmc",kind="sim",clock="simulated"';
    expect(text).toContain(`backline_requests_total{${labels}} ${j.count}\n`);
    const errors = Object.values(j.errors).reduce((a, b) => a + b, 0);
    expect(text).toContain(`backline_request_duration_seconds_count{${labels}} ${j.count - errors}\n`);
    expect(text).toContain(
      `backline_request_duration_seconds_bucket{journey="req",le="+Inf",${labels.slice('journey="req",'.length)}} ${j.count - errors}\n`,
    );
    // M/M/4 at ρ = 0.8 with exp(1 s) service: more than half of requests take over 1 s, all under 30 s.
    const le = (b: string) =>
      Number(new RegExp(`_bucket\\{journey="req",le="${b}",[^}]*\\} (\\d+)`).exec(text)?.[1]);
    expect(le('1')).toBeGreaterThan(0.3 * j.count);
    expect(le('1')).toBeLessThan(0.6 * j.count);
    expect(le('30')).toBe(j.count - errors);
    expect(text).toMatch(/backline_service_utilization_ratio\{service="server",[^}]*\} 0\.(79|80|81)\d*\n/);
    expect(text).toMatch(/backline_run_time_seconds\{[^}]*clock="simulated"\} 3000/);
    expect(text).toContain('backline_run_finished{scenario="mmc",kind="sim",clock="simulated"} 1');
  });

  it('passes promtool check metrics', () => {
    const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      console.log('skipped: promtool is not installed (Debian package prometheus)');
      return;
    }
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('--metrics address', () => {
  it('defaults to loopback and binds another address only when it is written out', () => {
    expect(parseMetricsAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464, loopback: true });
    expect(parseMetricsAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464, loopback: true });
    expect(parseMetricsAddress('[::1]:9')).toEqual({ host: '::1', port: 9, loopback: true });
    expect(parseMetricsAddress('localhost:9')).toMatchObject({ loopback: true });
    expect(parseMetricsAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464, loopback: false });
  });

  it('refuses what is not [host:]port with a usage error', () => {
    for (const bad of ['', 'abc', '70000', 'a:b:9', '9464\n', 'http://x:1', '1:2\r\n3', '__proto__']) {
      expect(() => parseMetricsAddress(bad), bad).toThrow(UsageError);
    }
  });
});

/** The parts of an OTLP/HTTP JSON metrics export read here. */
interface OtlpPoint {
  asInt?: string | number;
  asDouble?: number;
}
interface OtlpMetric {
  name: string;
  sum?: { isMonotonic: boolean; dataPoints: OtlpPoint[] };
  gauge?: { dataPoints: OtlpPoint[] };
}
interface OtlpExport {
  resourceMetrics: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeMetrics: { metrics: OtlpMetric[] }[];
  }[];
}

describe('--otlp', () => {
  const bodies: OtlpExport[] = [];
  const paths: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      bodies.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  beforeAll(() => new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r)));
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('sends the same counts as OTLP/HTTP JSON to a receiver that decodes them', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const exporter = (await MetricsExporter.start({ otlp: url }, { kind: 'sim', scenario: 'mmc' }))!;
    const result = await simulated(exporter);
    await exporter.close(0);
    expect(paths.at(-1)).toBe('POST /v1/metrics application/json');
    const last = bodies.at(-1)!;
    const resource = last.resourceMetrics[0];
    const attrs = Object.fromEntries(resource.resource.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(attrs).toMatchObject({
      'service.name': 'backline',
      'backline.scenario': 'mmc',
      'backline.clock': 'simulated',
    });
    const metrics = resource.scopeMetrics.flatMap((s) => s.metrics);
    const requests = metrics.find((m) => m.name === 'backline.requests')!;
    expect(requests.sum?.isMonotonic).toBe(true);
    const point = requests.sum!.dataPoints[0];
    expect(Number(point.asInt ?? point.asDouble)).toBe(result.journeys.req.count);
    const util = metrics.find((m) => m.name === 'backline.service.utilization')!;
    expect(util.gauge?.dataPoints[0].asDouble).toBeCloseTo(result.services!.server.utilization, 6);
  });
});
