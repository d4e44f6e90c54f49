import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DistSpec } from '../../math/dist-spec.js';
import { fitServiceTime, Z99 } from '../../results/calibrate/fit.js';
import { covered } from '../../results/calibrate/self-times.js';
import { jaegerTraceSpans } from '../../results/calibrate/spans.js';
import { loadScenario } from '../../scenarios/load.js';
import { backline, ROOT } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-calibrate-'));
const traces = join(dir, 'traces.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Median and p99 (seconds) a scenario's distribution stands for. */
function medianP99(d: DistSpec): [number, number] {
  if (d.kind === 'lognormal') return [Math.exp(d.mu), Math.exp(d.mu + Z99 * d.sigma)];
  if (d.kind === 'exp') return [d.mean * Math.LN2, d.mean * Math.log(100)];
  if (d.kind === 'empirical') {
    // What a run draws: one value uniformly, so the p-quantile is the ⌈p·n⌉-th smallest.
    const v = [...d.values].sort((a, b) => a - b);
    const q = (p: number) => v[Math.ceil(p * v.length) - 1];
    return [q(0.5), q(0.99)];
  }
  throw new Error(`unexpected ${d.kind}`);
}

describe('backline calibrate: the round trip through traces', () => {
  const truth = loadScenario('spotify');
  beforeAll(() => {
    // Faults off: a 50 ms slowdown of auth would be (correctly) measured as auth's time.
    const r = backline(
      ['sim', 'spotify', '--traces', traces, '--trace-sample', '15%', '--no-history'].concat(
        ['duration=1m', 'warmup=0s', 'faults=[]'].flatMap((s) => ['--set', s]),
      ),
    );
    expect(r.code).toBe(0);
    // ~10 s alone; minutes on a loaded 2-core machine.
  }, 240_000);

  it('recovers every service’s true median and p99 within 5 % from a copy with every time wrong', () => {
    // The copy: every service time three times too slow.
    let text = readFileSync(join(ROOT, 'scenarios/catalog/spotify.yaml'), 'utf8');
    text = text.replace(
      /time: "lognormal\(median: (\d+)ms, p99: (\d+)ms\)"/g,
      (_, m, p) => `time: "lognormal(median: ${3 * m}ms, p99: ${3 * p}ms)"`,
    );
    text = text.replace('time: exp(1ms)', 'time: exp(3ms)');
    const perturbed = join(dir, 'perturbed.yaml');
    const out = join(dir, 'calibrated.yaml');
    writeFileSync(perturbed, text);
    const wrong = loadScenario(perturbed);
    const r = backline(['calibrate', perturbed, '--from', traces, '--out', out]);
    expect(r.code).toBe(0);
    const calibrated = loadScenario(out);
    const names = Object.keys(truth.services);
    expect(names.length).toBe(8);
    for (const name of names) {
      const [m0, p0] = medianP99(truth.services[name].time);
      const [mw] = medianP99(wrong.services[name].time);
      const [m1, p1] = medianP99(calibrated.services[name].time);
      expect(mw / m0, `${name} was perturbed`).toBeGreaterThan(2.5);
      expect(Math.abs(m1 / m0 - 1), `${name} median`).toBeLessThan(0.05);
      expect(Math.abs(p1 / p0 - 1), `${name} p99`).toBeLessThan(0.05);
    }
    // auth's exponential is not a lognormal: the fit says so and the data's quantiles are used.
    expect(calibrated.services.auth.time.kind).toBe('empirical');
    expect(calibrated.services.gateway.time.kind).toBe('lognormal');
    // Comments survive, and only the times changed.
    const written = readFileSync(out, 'utf8');
    expect(written).toContain('# What to look at:');
    expect(calibrated.services.gateway.replicas).toBe(truth.services.gateway.replicas);
    // One goodness-of-fit line per service, with n and the KS distance.
    expect(r.stdout).toMatch(/^gateway\s+\d{4,}\s+lognormal\s+2\.0\dms\s+1[12]\.\dms\s+0\.0\d\d/m);
    expect(r.stdout).toContain('gateway.play→metadata ×1');
  });

  it('--sets prints the fits as --set arguments a run takes', () => {
    const r = backline(['calibrate', 'spotify', '--from', traces, '--sets']);
    expect(r.code).toBe(0);
    const sets = [...r.stdout.matchAll(/--set '([^']+)'/g)].map((m) => m[1]);
    expect(sets.length).toBe(8);
    const s = loadScenario('spotify', sets);
    const [m] = medianP99(s.services.metadata.time);
    expect(Math.abs(m / 0.003 - 1)).toBeLessThan(0.05);
  });

  it('reads Jaeger JSON as well as Zipkin: the same spans give the same fit', () => {
    const zipkin = JSON.parse(readFileSync(traces, 'utf8')) as Record<string, unknown>[];
    const byTrace = new Map<string, Record<string, unknown>[]>();
    for (const s of zipkin) {
      const list = byTrace.get(s.traceId as string) ?? [];
      list.push(s);
      byTrace.set(s.traceId as string, list);
    }
    const data = [...byTrace].map(([traceID, spans]) => {
      const services = [
        ...new Set(spans.map((s) => (s.localEndpoint as { serviceName: string }).serviceName)),
      ];
      return {
        traceID,
        processes: Object.fromEntries(services.map((name, i) => [`p${i}`, { serviceName: name }])),
        spans: spans.map((s) => ({
          traceID,
          spanID: s.id,
          operationName: s.name,
          references: s.parentId ? [{ refType: 'CHILD_OF', traceID, spanID: s.parentId }] : [],
          startTime: s.timestamp,
          duration: s.duration,
          processID: `p${services.indexOf((s.localEndpoint as { serviceName: string }).serviceName)}`,
          tags: s.kind ? [{ key: 'span.kind', type: 'string', value: String(s.kind).toLowerCase() }] : [],
        })),
      };
    });
    const jaeger = join(dir, 'jaeger.json');
    writeFileSync(jaeger, JSON.stringify({ data }));
    const a = JSON.parse(backline(['calibrate', 'spotify', '--from', traces, '--json']).stdout);
    const b = JSON.parse(backline(['calibrate', 'spotify', '--from', jaeger, '--json']).stdout);
    expect(b.format).toBe('jaeger');
    expect(b.sets).toEqual(a.sets);
  });
});

describe('backline calibrate: hostile input exits 2 with where and why', () => {
  const run = (file: string) => backline(['calibrate', 'spotify', '--from', file]);

  it('malformed JSON is located as file:line:col', () => {
    const f = join(dir, 'broken.json');
    writeFileSync(f, '[\n  {"id": "a",\n   "timestamp": 1,,\n]');
    const r = run(f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+ +not JSON`));
    expect(r.stderr).not.toContain('    at ');
  });

  it('a directory, a FIFO and a device are refused as not regular files, without blocking', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const f of [dir, fifo, '/dev/zero']) {
      const r = run(f);
      expect(r.code, f).toBe(2);
      expect(r.stderr).toContain('not a regular file');
    }
  });

  it('an empty file, a missing file, CR/LF-only JSON of the wrong shape and an empty RunResult are refused', () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    expect(run(empty).stderr).toContain('empty file');
    expect(run(join(dir, 'nope.json')).stderr).toContain('file not found');
    const obj = join(dir, 'obj.json');
    writeFileSync(obj, '{\r\n"spans": 1\r\n}\r\n');
    const r = run(obj);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected Zipkin v2 JSON');
    const rr = join(dir, 'result.json');
    writeFileSync(rr, JSON.stringify({ version: 1, kind: 'load', journeys: {} }));
    expect(run(rr).stderr).toContain('no successful request was measured (0 samples)');
  });

  it('a span with a bad field names the span; `__proto__` names are plain names', () => {
    const f = join(dir, 'bad-span.json');
    writeFileSync(f, JSON.stringify([{ id: 'a', timestamp: 'yesterday', duration: 1 }]));
    const r = run(f);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('span 0: `timestamp` must be a number');
    // Spans of a service called __proto__ (and a Jaeger processID `__proto__`) pollute nothing and
    // count as a service the scenario does not have; with nothing else to fit, exit 2.
    const p = join(dir, 'proto.json');
    const spans = Array.from({ length: 40 }, (_, i) => ({
      traceId: 't',
      id: `s${i}`,
      kind: 'SERVER',
      name: '__proto__',
      timestamp: i,
      duration: 1000,
      localEndpoint: { serviceName: '__proto__' },
    }));
    writeFileSync(p, JSON.stringify(spans));
    const q = run(p);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain(
      'no service of the scenario has 30 or more usable server spans (40 spans read)',
    );
    const jp = join(dir, 'proto-jaeger.json');
    writeFileSync(
      jp,
      '{"data":[{"traceID":"t","processes":{},"spans":[{"spanID":"a","startTime":1,"duration":5,"processID":"__proto__"}]}]}',
    );
    expect(jaegerTraceSpans(JSON.parse(readFileSync(jp, 'utf8')).data[0], 0, jp)).toEqual([]);
    expect(({} as Record<string, unknown>).serviceName).toBeUndefined();
  });

  it('a file over the size limit is refused with the limit named', () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, '[]');
    // Sparse: 5 GiB of holes costs no disk.
    execFileSync('truncate', ['-s', '5G', big]);
    const r = run(big);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/5368709120 bytes is over the 4294967296-byte limit/);
  });
});

describe('fitting', () => {
  it('the union of child calls counts parallel calls once', () => {
    expect(
      covered([
        [0, 10],
        [5, 15],
        [20, 25],
      ]),
    ).toBe(20);
    expect(covered([])).toBe(0);
  });

  it('a lognormal sample fits as lognormal with its median and p99; an exponential does not', () => {
    let seed = 7;
    const u = () => ((seed = (seed * 48271) % 2147483647) + 0.5) / 2147483647;
    const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    const logn = Array.from({ length: 20_000 }, () => Math.exp(Math.log(0.002) + 0.8 * normal()));
    const f = fitServiceTime(logn);
    expect(f.kind).toBe('lognormal');
    expect(f.median / 0.002).toBeCloseTo(1, 1);
    expect(f.p99 / Math.exp(Math.log(0.002) + Z99 * 0.8)).toBeCloseTo(1, 1);
    expect(f.ks).toBeLessThan(0.02);
    const ex = Array.from({ length: 20_000 }, () => -0.001 * Math.log(u()));
    const g = fitServiceTime(ex);
    expect(g.kind).toBe('empirical');
    expect(g.median / (0.001 * Math.LN2)).toBeCloseTo(1, 1);
    expect(g.p99 / (0.001 * Math.log(100))).toBeCloseTo(1, 1);
  });
});
