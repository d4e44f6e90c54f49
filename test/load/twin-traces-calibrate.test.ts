/**
 * `backline serve --traces` round trip: the twin's Zipkin file parses, every span is valid Zipkin v2,
 * and `backline calibrate` reads it back and recovers each service's service time. The twin draws
 * service times from seeded streams in arrival order, so the exact draws behind the spans are known
 * here: calibrate's fitted median is compared with the same fit of those draws, and with the
 * scenario's median.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitServiceTime } from '../../results/calibrate/fit.js';
import { readTraces } from '../../results/calibrate/read-traces.js';
import { loadScenario } from '../../scenarios/load.js';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { type ZipkinSpan, zipkinSpanProblems } from '../../sim/topology/traces.js';
import { backlineAsync, ROOT } from '../cli.js';

const FIXTURE = 'test/metrics/fixtures/twin-trace.yaml';
const JOURNEYS = 150;

/** The scenario medians of the fixture's services (seconds). */
const MEDIANS: Record<string, number> = {
  api: 0.02,
  catalog: 0.03,
  reviews: 0.015,
  pricing: 0.025,
  storage: 0.01,
};

interface CalibrateJson {
  services: { service: string; fit: { n: number; median: number; mu: number; kind: string } }[];
}

describe('backline serve --traces, read back by backline calibrate', () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'backline-twin-traces-'));
  let serve: ChildProcess | undefined;
  afterAll(() => {
    serve?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it("recovers the twin's service medians from its spans", async () => {
    const file = join(dir, 'traces.json');
    serve = spawn(
      process.execPath,
      [`${ROOT}dist/cli/main.js`, 'serve', FIXTURE, '--json', '--traces', file],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    serve.stderr!.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((r) => serve!.once('exit', (code) => r(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      serve!.stdout!.on('data', (c) => {
        out += c;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    });
    const url = (JSON.parse(line) as { url: string }).url;
    // Ten journeys at a time: far below the 64 workers of each service, so nothing queues and a
    // SERVER span's self time is its service time plus the twin's own handling.
    for (let i = 0; i < JOURNEYS; i += 10) {
      const batch = Array.from({ length: 10 }, () =>
        fetch(`${url}/journeys/browse`).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        }),
      );
      expect(await Promise.all(batch)).toEqual(new Array(10).fill(200));
    }
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain(`${JOURNEYS * 11} spans → ${file}`);

    const spans = JSON.parse(readFileSync(file, 'utf8')) as ZipkinSpan[];
    expect(spans).toHaveLength(JOURNEYS * 11);
    for (const s of spans) expect(zipkinSpanProblems(s)).toEqual([]);

    const run = await backlineAsync(['calibrate', FIXTURE, '--from', file, '--json']);
    expect(run.stderr).toBe('');
    const cal = JSON.parse(run.stdout) as CalibrateJson;
    const scenario = loadScenario(FIXTURE, []);
    const streams = new RandomStreams(scenario.seed, 0);
    const tags = spans.map((s) => ({ ...s, service: s.localEndpoint.serviceName }));
    const self = readTraces(file).perService;
    const quiet = os.loadavg()[0] <= os.cpus().length;
    const rows = Object.entries(MEDIANS).map(([service, median]) => {
      const c = cal.services.find((s) => s.service === service);
      // The twin's draws for this service: the first n of its seeded stream, in arrival order.
      const draw = sampler(scenario.services[service].time, streams.stream(`twin:service:${service}`));
      const exact = Array.from({ length: JOURNEYS }, draw);
      // Each SERVER span carries the time it drew; its self time minus that is the twin's overhead.
      const servers = tags.filter((s) => s.service === service && s.kind === 'SERVER');
      const drawnOnSpans = servers.map((s) => Number(s.tags?.['backline.service_time']));
      // calibrate's self times come in span order, one per SERVER span when none is ≤ 0 (checked below).
      const own = self.get(service)!;
      const overhead = own.self.map((x, i) => x - drawnOnSpans[i]).sort((a, b) => a - b);
      return {
        service,
        n: c?.fit.n,
        nonPositive: own.nonPositive,
        median,
        exact,
        drawnOnSpans,
        overhead,
        fitted: c?.fit.median ?? 0,
        measured: Math.exp(c?.fit.mu ?? 0),
        drawn: Math.exp(fitServiceTime([...exact]).mu),
      };
    });
    const ms = (x: number) => Math.round(x * 1e4) / 10;
    console.log(
      `load average ${os.loadavg()[0].toFixed(1)}: ` +
        rows
          .map(
            (r) =>
              `${r.service} scenario ${ms(r.median)} drawn ${ms(r.drawn)} calibrated ${ms(r.measured)} ms, overhead p50 ${ms(r.overhead[r.overhead.length >> 1])} ms`,
          )
          .join('; '),
    );
    for (const r of rows) {
      const { service, n, nonPositive, median, exact, drawnOnSpans, overhead, fitted, measured, drawn } = r;
      expect(n, service).toBe(JOURNEYS);
      expect(nonPositive, service).toBe(0);
      // The spans carry exactly the twin's seeded draws (in their own order).
      const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
      expect(sorted(drawnOnSpans), service).toEqual(sorted(exact));
      // Hardly a span is shorter than its draw: Node starts a timer from the event loop's cached
      // clock, so one fires up to 1 ms plus the current loop turn early; the 5th percentile of the
      // overhead stays above -2 ms.
      expect(overhead[Math.floor(overhead.length * 0.05)], service).toBeGreaterThan(-0.002);
      // Calibrate's median (a lognormal fit's: the geometric mean) is the drawn one plus the twin's
      // own overhead: above it by no more than the overhead's 90th percentile.
      const p90 = overhead[Math.floor(overhead.length * 0.9)];
      expect(measured, service).toBeGreaterThan(drawn - 0.001);
      expect(measured, service).toBeLessThan(drawn + p90);
      if (!quiet) continue;
      // On a quiet machine the overhead is small and calibrate recovers the scenario itself: over 150
      // draws the geometric mean lies within ±12 % of the median (3 standard errors at the
      // fixture's σ ≤ 0.47), the sample median within ±15 % (its standard error is 1.25 times
      // larger), plus 4 ms for the twin's handling of a hop.
      expect(measured, service).toBeGreaterThan(median * 0.88 - 0.001);
      expect(measured, service).toBeLessThan(median * 1.12 + 0.004);
      expect(fitted, service).toBeGreaterThan(median * 0.85 - 0.001);
      expect(fitted, service).toBeLessThan(median * 1.15 + 0.004);
    }
    if (!quiet)
      console.warn(
        `not judged against the scenario medians: load average ${os.loadavg()[0].toFixed(1)} > ${os.cpus().length} cores (a woken timer waits for a core)`,
      );
  }, 90_000);
});
