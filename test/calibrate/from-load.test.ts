import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DistSpec } from '../../math/dist-spec.js';
import { distQuantile } from '../../math/moments.js';
import { rank } from '../../results/calibrate/from-load.js';
import { readMeasurements } from '../../results/calibrate/read-traces.js';
import { runMeasurements } from '../../results/calibrate/run-measurements.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { sampler } from '../../sim/kernel/distributions.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { backline } from '../cli.js';

const dir = mkdtempSync(join(tmpdir(), 'backline-calibrate-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Known service times. `solo` and `lookup` measure a and c alone; `chain` is b then c (b is
// identifiable once c is known); `pair` is d, then two e in parallel, then a with p = 30 % (d and e
// always appear together: one factor for both); nothing reaches f.
const SCENARIO = (k: number) => `name: calib-chain
duration: 1m
users:
  arrivals: poisson(20/s)
  journeys:
    solo: { steps: [a] }
    lookup: { steps: [c] }
    chain: { steps: [b.get] }
    pair: { steps: [d.get] }
services:
  a: { time: "lognormal(median: ${5 * k}ms, p99: ${20 * k}ms)" }
  b: { time: "lognormal(median: ${10 * k}ms, p99: ${40 * k}ms)", routes: { get: [c] } }
  c: { time: exp(${4 * k}ms) }
  d:
    time: "lognormal(median: ${3 * k}ms, p99: ${9 * k}ms)"
    routes: { get: [{ parallel: [e, e] }, { call: a, p: 30% }] }
  e: { time: "gamma(shape: 2, scale: ${2 * k}ms)" }
  f: { time: exp(${k}ms) }
`;

const N = 20_000;

/** A load RunResult of the true scenario: each journey's latency drawn by the simulator's samplers. */
function measuredRun(truth: Scenario): RunResult {
  const rs = new RandomStreams(42);
  const draw = Object.fromEntries(
    Object.entries(truth.services).map(([name, s]) => [name, sampler(s.time, rs.stream(name))]),
  );
  const coin = rs.stream('coin');
  const latency: Record<string, () => number> = {
    solo: () => draw.a(),
    lookup: () => draw.c(),
    chain: () => draw.b() + draw.c(),
    pair: () => draw.d() + Math.max(draw.e(), draw.e()) + (coin() < 0.3 ? draw.a() : 0),
  };
  const journeys: RunResult['journeys'] = {};
  for (const [name, f] of Object.entries(latency)) {
    const h = new LatencyHistogram();
    for (let i = 0; i < N; i++) h.record(f());
    journeys[name] = {
      count: N,
      errors: {},
      errorRate: 0,
      throughput: N / 60,
      latency: h.summary(),
      hdr: h.encode(),
      sumSeconds: h.sum,
    };
  }
  return {
    version: 1,
    kind: 'load',
    scenario: { name: 'calib-chain', hash: 'x' },
    window: { start: 0, end: 60 },
    journeys,
    budgets: [],
  };
}

function medianP99(d: DistSpec): [number, number] {
  if (d.kind === 'empirical') {
    const v = [...d.values].sort((a, b) => a - b);
    return [v[Math.ceil(0.5 * v.length) - 1], v[Math.ceil(0.99 * v.length) - 1]];
  }
  return [distQuantile(d, 0.5), distQuantile(d, 0.99)];
}

describe('backline calibrate --from load.json: service times from journeys', () => {
  const truthFile = join(dir, 'truth.yaml');
  const wrongFile = join(dir, 'wrong.yaml');
  writeFileSync(truthFile, SCENARIO(1));
  writeFileSync(wrongFile, SCENARIO(3));
  const truth = loadScenario(truthFile);
  const result = join(dir, 'load.json');
  writeFileSync(result, JSON.stringify(measuredRun(truth)));

  it('recovers the true medians and p99s from a copy three times too slow, and says what was identifiable', () => {
    const out = join(dir, 'calibrated.yaml');
    const r = backline(['calibrate', wrongFile, '--from', result, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const cal = loadScenario(out);
    // Tolerance: 20 000 requests per journey put the p99 of an exponential within ±1.5 % (one
    // standard error: √(0.99·0.01/N) / (0.01·ln 100)) and so do the 20 000 sampled chains the factors
    // are fitted with; HDR adds 0.1 %. 5 % on medians and 6 % on p99s is about three standard errors.
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const [m0, p0] = medianP99(truth.services[name].time);
      const [m1, p1] = medianP99(cal.services[name].time);
      expect(Math.abs(m1 / m0 - 1), `${name} median ${m1} vs ${m0}`).toBeLessThan(0.05);
      expect(Math.abs(p1 / p0 - 1), `${name} p99 ${p1} vs ${p0}`).toBeLessThan(0.06);
    }
    // f was not reached: left as it was (three times too slow) and reported.
    expect(cal.services.f.time).toEqual(loadScenario(wrongFile).services.f.time);
    expect(r.stdout).toMatch(/not calibrated f: no usable measured journey reaches it/);
    // How each was calibrated: a and c directly (c's exponential is not a lognormal: its quantiles),
    // b by a factor to `chain`, d and e by one common factor.
    expect(r.stdout).toMatch(/^a\s+20000\s+lognormal .*journey solo \(this service alone\)/m);
    expect(r.stdout).toMatch(/^c\s+20000\s+empirical .*journey lookup/m);
    expect(r.stdout).toMatch(/^b\s+20000\s+scaled .*×0\.3\d+ on the scenario's time, to journeys chain$/m);
    expect(r.stdout).toMatch(/^d\s+20000\s+scaled .*one factor for d, e \(not separable\)/m);
    // A goodness-of-fit line per journey: the calibrated chain's KS distance to what was measured.
    const chain = /^chain\s+(\S+)ms\s+(\S+)ms\s+(\S+)ms\s+(\S+)ms\s+(\S+)$/m.exec(r.stdout);
    expect(chain).not.toBeNull();
    expect(Number(chain?.[5])).toBeLessThan(0.03);
    expect(Math.abs(Number(chain?.[3]) / Number(chain?.[1]) - 1)).toBeLessThan(0.03);
  });

  it('--json lists the services calibrated, from what, and those not identifiable', () => {
    const r = backline(['calibrate', wrongFile, '--from', result, '--json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.format).toBe('load');
    expect(c.requests).toBe(4 * N);
    const by = Object.fromEntries(c.services.map((s: { service: string }) => [s.service, s]));
    expect(by.d.together).toEqual(['d', 'e']);
    expect(by.d.factor).toBeCloseTo(by.e.factor, 12);
    expect(Math.abs(by.b.factor * 3 - 1)).toBeLessThan(0.05);
    expect(c.skipped).toEqual([
      { service: 'f', reason: 'no usable measured journey reaches it: not identifiable' },
    ]);
    expect(c.sets).toHaveLength(5);
  });

  it('journeys through a part that is not a service, or not comparable, are not used and say why', () => {
    const run = measuredRun(truth);
    run.notComparable = { solo: 'p2p is not served by the twin' };
    const f = join(dir, 'not-comparable.json');
    writeFileSync(f, JSON.stringify(run));
    const r = backline(['calibrate', wrongFile, '--from', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('journey solo not used: not comparable: p2p is not served by the twin');
    // a is still reached by `pair` (with p = 30 %) and now shares the pair's factor question.
    expect(r.stdout).not.toMatch(/^a .*this service alone/m);
  });
});

describe('flows: request steps measure the journey chain', () => {
  it('merges the steps’ histograms and leaves out a step whose latency mixes in failures', () => {
    const hist = (from: number, n: number) => {
      const h = new LatencyHistogram();
      for (let i = 0; i < n; i++) h.record(from + i * 1e-6);
      return h;
    };
    const step = (name: string, h: LatencyHistogram, statuses: Record<string, number>) => ({
      name,
      count: h.count,
      statuses,
      errors: {},
      latency: h.summary(),
      hdr: h.encode(),
    });
    const a = hist(0.01, 100);
    const b = hist(0.02, 300);
    const bad = hist(0.5, 100);
    const m = runMeasurements(
      {
        version: 1,
        kind: 'load',
        journeys: {
          chain: {
            count: 100,
            hdr: hist(9, 100).encode(),
            steps: [
              step('get /a', a, { '200': 100 }),
              step('post /b', b, { '201': 299, '404': 1 }),
              step('get /slow', bad, { '200': 95, '503': 5 }),
            ],
          },
        },
      },
      'load.json',
      ['chain', 'solo'],
    );
    expect(m.skipped).toEqual([
      { journey: 'chain', reason: 'step get /slow: 5 of 100 failed (its latency mixes in failures)' },
    ]);
    const [chain] = m.measured;
    expect(chain).toMatchObject({ journey: 'chain', n: 400, source: 'steps get /a, post /b' });
    // A quarter of the merged requests took ~10 ms, three quarters ~20 ms: never the journey's 9 s.
    expect(chain.sample[0]).toBeCloseTo(0.01, 4);
    expect(chain.sample[chain.sample.length - 1]).toBeCloseTo(0.0203, 3);
    expect(chain.sample[Math.floor(0.2 * chain.sample.length)]).toBeLessThan(0.0111);
    expect(chain.sample[Math.floor(0.3 * chain.sample.length)]).toBeGreaterThan(0.0199);
  });
});

describe('backline calibrate --from load.json: hostile RunResults exit 2 and never fit nothing', () => {
  const scen = join(dir, 'scen.yaml');
  writeFileSync(scen, SCENARIO(1));
  const run = (file: string) => backline(['calibrate', scen, '--from', file]);
  const write = (name: string, body: unknown) => {
    const f = join(dir, name);
    writeFileSync(f, typeof body === 'string' ? body : JSON.stringify(body));
    return f;
  };
  const empty = new LatencyHistogram();

  it('a RunResult with zero samples is refused', () => {
    const j = {
      count: 0,
      errors: {},
      errorRate: 0,
      throughput: 0,
      latency: empty.summary(),
      hdr: empty.encode(),
      sumSeconds: 0,
    };
    const r = run(write('zero.json', { version: 1, kind: 'load', journeys: { solo: j, chain: j } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no successful request was measured (0 samples): nothing to calibrate from');
    expect(r.stderr).not.toContain('    at ');
  });

  it('too few samples, a simulation result, a wrong shape and a broken histogram are refused', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 10; i++) h.record(0.005);
    const few = {
      count: 10,
      errors: {},
      errorRate: 0,
      latency: h.summary(),
      hdr: h.encode(),
      sumSeconds: h.sum,
    };
    let r = run(write('few.json', { version: 1, kind: 'load', journeys: { solo: few } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no journey has 30 or more measured requests: solo (10 successful requests');
    r = run(write('sim.json', { version: 1, kind: 'sim', journeys: { solo: few } }));
    expect(r.stderr).toContain('a simulation’s RunResult');
    r = run(write('shape.json', { version: 1, kind: 'load', journeys: [1, 2] }));
    expect(r.stderr).toContain('not a RunResult: `journeys` must be an object');
    r = run(
      write('hdr.json', {
        version: 1,
        kind: 'load',
        journeys: { solo: { ...few, hdr: 'not base64 at all' } },
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('journeys["solo"].hdr: not an HDR histogram');
    r = run(write('steps.json', { version: 1, kind: 'load', journeys: { solo: { ...few, steps: 'x' } } }));
    expect(r.stderr).toContain('journeys["solo"].steps: expected an array');
  });

  it('`__proto__` and unknown journey names are refused as not the scenario’s, nothing polluted', () => {
    const r = run(write('proto.json', '{"version":1,"kind":"load","journeys":{"__proto__":{"count":5}}}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('journeys["__proto__"]: not a journey of the scenario');
    const c = run(write('ctor.json', { version: 1, kind: 'load', journeys: { constructor: {} } }));
    expect(c.stderr).toContain('journeys["constructor"]: not a journey of the scenario');
    expect(({} as Record<string, unknown>).count).toBeUndefined();
  });

  it('a directory, a FIFO, an over-large file and an over-large value are refused without reading them', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const f of [dir, fifo]) {
      const r = run(f);
      expect(r.code, f).toBe(2);
      expect(r.stderr).toContain('not a regular file');
    }
    const big = write('big.json', '{"version":1,"kind":"load","journeys":{}}');
    execFileSync('truncate', ['-s', '5G', big]);
    expect(run(big).stderr).toMatch(/5368709120 bytes is over the 4294967296-byte limit/);
    // A RunResult member bigger than the per-value cap (256 MiB; 4 kB here) is refused as it
    // streams in, before it is parsed, with where it starts.
    const huge = write(
      'huge.json',
      `{"version":1,"kind":"load",\n"journeys":{"solo":{"hdr":"${'A'.repeat(3 << 20)}"}}}`,
    );
    expect(() => readMeasurements(huge, undefined, 4096)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/huge\.json:2:12 +a value over 4096 bytes/) }),
    );
  });
});

describe('identifiability', () => {
  it('rank of the journeys × factors incidence', () => {
    expect(
      rank([
        [1, 0],
        [0, 1],
      ]),
    ).toBe(2);
    expect(
      rank([
        [1, 1],
        [1, 1],
      ]),
    ).toBe(1);
    expect(
      rank([
        [1, 1, 0],
        [0, 1, 1],
        [1, 0, 1],
      ]),
    ).toBe(3);
    expect(
      rank([
        [1, 1, 0],
        [0, 0, 1],
        [1, 1, 1],
      ]),
    ).toBe(2);
    expect(rank([])).toBe(0);
  });
});
