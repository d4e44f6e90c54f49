/**
 * Service discovery in the twin agrees with the simulation: after a catalog replica crashes, callers
 * keep calling it over real HTTP (its port is closed: connection refused, `stale_endpoint`) until the
 * registry's next check and the refresh after it, which fall at the same instants as in the
 * simulation's first replication (the same phases from the same seed).
 */
import http from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { parseScenario } from '../../scenarios/load.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { Registry, unlistedAt } from '../../sim/resilience/discovery.js';
import { simulateSync } from '../../sim/run.js';

const RATE = 200; // journeys per second, so one call every 4 / RATE s reaches each of 4 replicas
const CRASH = 2;
const YAML = `
name: twin-discovery
seed: 4
duration: 7s
users:
  arrivals: poisson(${RATE}/s)
  journeys:
    browse: { steps: [web.browse] }
services:
  web: { replicas: 1, workers: 64, time: 1ms, routes: { browse: [catalog.item] } }
  catalog: { replicas: 4, workers: 16, time: 2ms, discovery: { interval: 1s, ttl: 2s } }
faults:
  - { at: ${CRASH}s, for: 20s, crash: catalog, replicas: 1 }
`;

let twin: Twin | undefined;
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
afterAll(async () => {
  await twin?.stop();
  agent.destroy();
});

/** One journey; resolves with the cause header of a failure (undefined when it succeeded). */
function journey(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/journeys/browse`, { agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve(res.statusCode === 200 ? undefined : String(res.headers['x-backline-cause'])),
      );
    });
    req.on('error', () => resolve('client'));
  });
}

describe('service discovery in the twin', () => {
  it('the stale_endpoint burst lasts as long as in the simulation (same phases), within edge gaps and timer lateness', async () => {
    const scenario = parseScenario(YAML, 'twin-discovery.yaml');
    const spec = scenario.services.catalog.discovery!;
    const phases = new Registry(
      spec,
      [],
      () => true,
      new RandomStreams(scenario.seed, 0).stream('discovery:catalog'),
    );
    const end = unlistedAt(phases, CRASH);

    const sim = simulateSync(scenario).services?.catalog.staleBursts ?? [];
    expect(sim).toHaveLength(1);
    const simLen = sim[0].to - sim[0].from;
    // The simulation's own edges: how far its first and last stale call are from the crash and the refresh.
    const simSlack = sim[0].from - CRASH + (end - sim[0].to);
    expect(simSlack).toBeLessThan(0.2);

    const lateness = monitorEventLoopDelay({ resolution: 5 });
    lateness.enable();
    twin = await startTwin(scenario);
    const url = twin.endpoints.url;
    const t0 = performance.now();
    const answers: Promise<string | undefined>[] = [];
    // Sends on an absolute schedule (catching up after a late timer) until 1 s past the predicted end.
    while ((performance.now() - t0) / 1000 < end + 1) {
      const due = Math.floor(((performance.now() - t0) / 1000) * RATE);
      while (answers.length < due) answers.push(journey(url));
      await new Promise((r) => setTimeout(r, 2));
    }
    const causes = await Promise.all(answers);
    lateness.disable();
    const bursts = twin.services().catalog.staleBursts ?? [];
    const refused = causes.filter((c) => c === 'stale_endpoint').length;
    const late = lateness.max / 1e9; // seconds
    const twinLen = bursts.length > 0 ? bursts[0].to - bursts[0].from : 0;
    const bound = simSlack + (2 * 4) / RATE + 2 * late + 0.01;
    console.log(
      `discovery twin vs sim: sim burst ${simLen.toFixed(3)} s (${sim[0].errors} calls), twin ${twinLen.toFixed(3)} s ` +
        `(${bursts[0]?.errors} calls, ${refused} journeys failed stale_endpoint), predicted window ${(end - CRASH).toFixed(3)} s, ` +
        `bound ${bound.toFixed(3)} s (event-loop lateness max ${(late * 1000).toFixed(1)} ms), ` +
        `other failures ${JSON.stringify(causes.filter((c) => c !== undefined && c !== 'stale_endpoint'))}`,
    );
    expect(end - CRASH).toBeGreaterThan(0.5); // a window worth comparing at this seed
    expect(bursts).toHaveLength(1);
    expect(Math.abs(twinLen - simLen)).toBeLessThanOrEqual(bound);
    // Every stale call failed its journey (no retries here). Besides, only the calls the replica
    // held when it died fail (the simulation's `crash`; here the closed connections' `reset`).
    expect(refused).toBe(bursts[0].errors);
    const other = causes.filter((c) => c !== undefined && c !== 'stale_endpoint');
    expect(other.filter((c) => c !== 'reset' && c !== 'crash')).toEqual([]);
    expect(other.length).toBeLessThan(10);
  }, 30_000);
});
