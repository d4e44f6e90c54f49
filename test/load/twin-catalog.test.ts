/**
 * `load <s> --twin --predict` for catalog scenarios scaled for the twin (test/load/fixtures/twin/):
 * the twin in its own process, loaded for a few seconds, against the simulation of the same file.
 *
 * Every hop of the twin adds what the model does not have: loopback HTTP, timer lateness, and the
 * wait for a CPU when the machine is oversubscribed. The fixtures scale service times up so this is
 * small, but on a machine shared by many busy processes it is not (tens of ms a hop at a load
 * average of 15 on 2 cores). So the comparison is judged only when the load average is at most the
 * number of cores and a zero-time twin of two hops shows a p50 overhead below 8 ms (about 5 % of the
 * smallest predicted p50 here) both before and after the run; otherwise the test says what it
 * measured and skips rather than loosening the 15 %. Run it alone on a quiet machine to see it judge.
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../loadtests/autocannon/driver.js';
import { spawnTwin, type TwinProcess } from '../../loadtests/twin/process.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { simulateSync } from '../../sim/run.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/twin/${name}.yaml`, import.meta.url));
const twins: TwinProcess[] = [];
afterAll(async () => {
  await Promise.all(twins.map((t) => t.stop()));
});

async function measure(scenario: Scenario, duration: number) {
  const twin = await spawnTwin(scenario);
  twins.push(twin);
  const o = await startLoad(scenario, { target: twin.endpoints.url, duration, warmup: 1 }).outcome;
  await twin.stop();
  return { result: o.result, services: twin.services() };
}

/** p50 of a journey through two zero-time services: what the twin and the machine add per journey. */
async function overheadMs(): Promise<number> {
  const zero = parseScenario(
    `name: twin-overhead
seed: 1
duration: 10s
users: { arrivals: poisson(40/s), journeys: { j: { steps: [a.r] } } }
services:
  a: { replicas: 1, workers: 64, queue: 100, time: const(0s), routes: { r: [b] } }
  b: { replicas: 1, workers: 64, queue: 100, time: const(0s) }
load:
  target: http://127.0.0.1:1
  connections: 50
  maxRequests: 1000
  maxDuration: 10s
  profile: [{ hold: 40/s, for: 3s }]
`,
    'twin-overhead.yaml',
  );

  const { result } = await measure(zero, 3);
  return result.journeys.j.latency.p50;
}

/**
 * Whether the machine is quiet enough for the comparison: the 1-minute load average at most the
 * number of cores, and a zero-time two-hop journey under 8 ms at p50 (probed before and after the
 * run, since other test files share the CPU). Says what it measured when it is not.
 */
async function quiet(when: string): Promise<boolean> {
  // In a full CI run other test files start mid-comparison on the same two cores (a clean CI run
  // measured region-failover's p99 17 % slow after both probes said quiet): judge only when asked.
  if (process.env.CI && !process.env.BACKLINE_TWIN_ACCURACY) {
    console.warn(
      `twin comparison skipped (${when}): CI=true runs test files in parallel; run it alone with ` +
        'BACKLINE_TWIN_ACCURACY=1 npx vitest run test/load/twin-catalog.test.ts',
    );
    return false;
  }
  const load = os.loadavg()[0];
  const cores = os.cpus().length;
  const overhead = load <= cores ? await overheadMs() : Number.NaN;
  if (overhead < 8) return true;
  console.warn(
    `twin comparison skipped (${when}): load average ${load.toFixed(1)} on ${cores} cores` +
      (Number.isNaN(overhead) ? '' : `, a zero-time two-hop journey takes ${overhead.toFixed(1)} ms at p50`) +
      '; the comparison needs load average ≤ cores and < 8 ms',
  );
  return false;
}

describe('the twin against the simulation, catalog scenarios scaled for it', () => {
  for (const name of ['breaker', 'retry-storm', 'region-failover']) {
    it(`${name}: p50 and p99 of every journey within 15 % below 70 % utilization`, async (ctx) => {
      const scenario = loadScenario(fixture(name), []);
      const predicted = simulateSync(scenario, { replications: 1 });
      for (const s of Object.values(predicted.services ?? {})) expect(s.utilization).toBeLessThan(0.7);
      if (!(await quiet('before'))) return ctx.skip();
      const { result, services } = await measure(scenario, 5);
      if (!(await quiet('after'))) return ctx.skip();
      for (const [j, sim] of Object.entries(predicted.journeys)) {
        const m = result.journeys[j];
        expect(m.errorRate, j).toBe(0);
        expect(m.count, j).toBeGreaterThan(30);
        for (const k of ['p50', 'p99'] as const) {
          const err = (sim.latency[k] - m.latency[k]) / m.latency[k];
          expect(
            Math.abs(err),
            `${j} ${k}: predicted ${sim.latency[k]} measured ${m.latency[k]}`,
          ).toBeLessThan(0.15);
        }
      }
      // The twin's own counters came back from its process.
      const served = Object.values(services).reduce((a, s) => a + s.served, 0);
      expect(served).toBeGreaterThan(100);
    });
  }
});
