/**
 * The simulator against queueing theory: each case runs independent replications and asserts that
 * the 95 % interval covers the closed form and the point estimate is within 3 % of it.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenarios/load.js';
import { erlangC, md1Response, mg1Response, mm1kBlocking, mmcResponse } from '../sim/analytic.js';
import { simulateSync } from '../sim/run.js';

function scenario(opts: {
  seed?: number;
  rate: string;
  workers: number;
  time: string;
  queue?: number;
  duration?: string;
  reps?: number;
}) {
  return parseScenario(
    `name: check
seed: ${opts.seed ?? 1}
duration: ${opts.duration ?? '200000s'}
warmup: 2000s
replications: ${opts.reps ?? 8}
users:
  arrivals: poisson(${opts.rate})
  journeys:
    req: { steps: [server] }
services:
  server: { workers: ${opts.workers}, time: '${opts.time}', queue: ${opts.queue ?? 1000000} }
`,
    'test/queueing',
  );
}

/** Mean response time in seconds and its interval. */
function response(s: ReturnType<typeof scenario>) {
  const r = simulateSync(s);
  const j = r.journeys.req;
  return { r, mean: j.latency.mean / 1000, ci: j.ci!.mean.map((x) => x / 1000) as [number, number] };
}

function expectMatches(got: { mean: number; ci: [number, number] }, analytic: number) {
  expect(got.ci[0]).toBeLessThanOrEqual(analytic);
  expect(got.ci[1]).toBeGreaterThanOrEqual(analytic);
  expect(Math.abs(got.mean - analytic) / analytic).toBeLessThan(0.03);
}

describe('closed forms', () => {
  it('closed forms give the textbook numbers', () => {
    expect(mmcResponse(1, 0.8, 1)).toBeCloseTo(5, 12);
    expect(mmcResponse(4, 3.2, 1)).toBeCloseTo(1.745541, 6);
    expect(md1Response(0.8, 1)).toBeCloseTo(3, 12);
    expect(erlangC(4, 3.2)).toBeCloseTo(0.596432, 6);
    expect(mm1kBlocking(0.9, 1, 5)).toBeCloseTo(0.126023, 6);
  });
});

describe('simulation matches queueing theory', () => {
  it('M/M/1 at λ=0.8, μ=1 gives W = 5 s', () => {
    expectMatches(response(scenario({ rate: '0.8/s', workers: 1, time: 'exp(1s)', duration: '400000s' })), 5);
  });

  it('M/M/4 at λ=3.2, μ=1 gives Erlang-C W = 1.745541 s', () => {
    expectMatches(response(scenario({ rate: '3.2/s', workers: 4, time: 'exp(1s)' })), 1.745541);
  });

  it('M/M/2 at λ=1.5, μ=1 matches Erlang-C', () => {
    expectMatches(response(scenario({ rate: '1.5/s', workers: 2, time: 'exp(1s)' })), mmcResponse(2, 1.5, 1));
  });

  it('M/D/1 at λ=0.8, D=1 gives W = 3 s', () => {
    expectMatches(response(scenario({ rate: '0.8/s', workers: 1, time: 'const(1s)' })), 3);
  });

  it('M/G/1 with lognormal service matches Pollaczek–Khinchine', () => {
    // lognormal(median 0.5 s, p99 2 s): sigma = ln 4 / z(0.99).
    const sigma = Math.log(4) / 2.3263478740408408;
    const es = 0.5 * Math.exp((sigma * sigma) / 2);
    const es2 = 0.25 * Math.exp(2 * sigma * sigma);
    const w = mg1Response(1, es, es2);
    expect(w).toBeCloseTo(1.2287, 3);
    expectMatches(
      response(scenario({ rate: '1/s', workers: 1, time: 'lognormal(median: 0.5s, p99: 2s)' })),
      w,
    );
  });

  it("Little's law holds on a station: L = λW", () => {
    const { r, mean } = response(scenario({ rate: '3.2/s', workers: 4, time: 'exp(1s)' }));
    const svc = r.services!.server;
    const inSystem = svc.utilization * 4 + svc.queue;
    const lambdaW = r.journeys.req.throughput * mean;
    expect(Math.abs(inSystem - lambdaW) / lambdaW).toBeLessThan(0.01);
    expect(svc.utilization).toBeGreaterThan(0.79);
    expect(svc.utilization).toBeLessThan(0.81);
  });

  it('M/M/1/5 rejects the share the blocking formula predicts', () => {
    const r = simulateSync(scenario({ rate: '0.9/s', workers: 1, time: 'exp(1s)', queue: 4 }));
    const pb = mm1kBlocking(0.9, 1, 5);
    const j = r.journeys.req;
    expect(Math.abs(j.errorRate - pb) / pb).toBeLessThan(0.03);
    expect(j.errors.rejected).toBe(r.services!.server.rejected);
  });
});

describe('confidence intervals', () => {
  it('95 % intervals cover the true M/M/1 mean in about 95 % of 40 independent experiments', () => {
    let covered = 0;
    for (let seed = 100; seed < 140; seed++) {
      const got = response(
        scenario({ seed, rate: '0.5/s', workers: 1, time: 'exp(1s)', duration: '20000s', reps: 5 }),
      );
      if (got.ci[0] <= 2 && got.ci[1] >= 2) covered++;
    }
    // Binomial(40, 0.95): P(covered < 34) ≈ 0.5 %.
    expect(covered).toBeGreaterThanOrEqual(34);
  });
});
