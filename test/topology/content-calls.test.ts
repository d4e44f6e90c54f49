/**
 * Route calls to content (`stores.<name>`, `cdn`) go through the content bridge like journey steps:
 * their latency adds to the calling journey and their failures fail it.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/load.js';
import { advance, build } from '../../sim/build.js';

/** api (exp 2 ms, never queues) reads kv at quorum of 3 replicas, each exp(6 ms). */
const SCENARIO = `
name: route-store
seed: 11
duration: 120s
warmup: 0s
users:
  arrivals: poisson(200/s)
  journeys:
    read: { steps: [api.get] }
services:
  api: { time: exp(2ms), replicas: 2, workers: 500, routes: { get: [stores.kv] } }
stores:
  kv: { shards: 6, vnodes: 32, replication: 3, consistency: quorum, time: exp(6ms) }
`;

function run(text: string) {
  const scenario = parseScenario(text, 'route-store.yaml');
  const model = build(scenario, scenario.seed, 0);
  advance(model, scenario.duration);
  return { model, stats: model.journeys.stats[0] };
}

describe('content calls inside service routes', () => {
  it('adds the store read to the journey: mean = service time + 2nd fastest of 3 replicas', () => {
    const { model, stats } = run(SCENARIO);
    // E[2nd order statistic of 3 exp(m)] = m (1/3 + 1/2) = 5 ms; plus api's 2 ms.
    const expected = 0.002 + 0.006 * (1 / 3 + 1 / 2);
    const mean = stats.latency.sum / stats.latency.count;
    expect(stats.count).toBeGreaterThan(20_000);
    expect(Object.keys(stats.errors)).toEqual([]);
    expect(Math.abs(mean - expected) / expected).toBeLessThan(0.03);
    // Every journey made exactly one store read.
    expect(model.content?.stores[0].result().load.reduce((a, b) => a + b, 0)).toBe(stats.count * 3);
  });

  it('fails the calling journey as `unavailable` while the store is crashed', () => {
    const { stats } = run(`${SCENARIO}faults:\n  - { at: 30s, for: 20s, crash: stores.kv, shards: 6 }\n`);
    const failed = stats.errors.unavailable ?? 0;
    // 20 s of 120 with every node down: a sixth of the journeys fail, and only as unavailable.
    expect(Object.keys(stats.errors)).toEqual(['unavailable']);
    expect(failed / stats.count).toBeGreaterThan(0.15);
    expect(failed / stats.count).toBeLessThan(0.185);
  });

  it('times a slow store call out at the call timeout', () => {
    const text = SCENARIO.replace(
      'routes: { get: [stores.kv] }',
      'routes: { get: [{ call: stores.kv, timeout: 5ms }] }',
    );
    const { stats } = run(text);
    // P(2nd of 3 exp(6 ms) > 5 ms) = 3 e^{-2x} - 2 e^{-3x} with x = 5/6.
    const x = 5 / 6;
    const p = 3 * Math.exp(-2 * x) - 2 * Math.exp(-3 * x);
    const share = (stats.errors.timeout ?? 0) / stats.count;
    expect(Math.abs(share - p)).toBeLessThan(0.015);
    expect(Object.keys(stats.errors)).toEqual(['timeout']);
  });

  it('adds a CDN fetch to the journey: warm edge hits cost the edge time', () => {
    const { model, stats } = run(`
name: route-cdn
seed: 3
duration: 60s
warmup: 5s
regions: { eu: { users: 100% } }
catalog: { items: 10, popularity: zipf(0.8), size: const(1MB) }
users:
  arrivals: poisson(100/s)
  journeys:
    get: { steps: [api.get] }
services:
  api: { time: const(2ms), replicas: 1, workers: 100, routes: { get: [cdn] } }
cdn:
  edges:
    eu: { capacity: 100MB, policy: lru, time: 3ms }
  origin: { time: 40ms }
`);
    // Ten items fit the edge: after warm-up every fetch hits, so each journey is 2 ms + 3 ms.
    expect(model.content?.cdn?.results().eu.hitRatio).toBe(1);
    expect(stats.latency.sum / stats.latency.count).toBeCloseTo(0.005, 9);
    expect(model.content?.cdn?.results().eu.requests).toBeGreaterThanOrEqual(stats.count);
  });
});
