import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';

const SCENARIO = `
name: engine-content
seed: 5
duration: 60s
warmup: 5s
regions: { eu-west: { users: 60% }, us-east: { users: 40% } }
latency: { intra: 0.5ms, eu-west<->us-east: 38ms }
catalog: { items: 10000, popularity: zipf(1.0), size: const(4MB) }
users:
  population: 20k
  arrivals: poisson(200/s)
  journeys:
    play: { weight: 3, steps: [gateway.play, stream] }
    list: { weight: 1, steps: [gateway, stores.playlists] }
services:
  gateway: { replicas: 2, workers: 16, time: const(1ms), routes: { play: [auth] } }
  auth: { replicas: 2, workers: 16, time: const(1ms) }
cdn:
  edges:
    eu-west: { capacity: 4GB, policy: lru, time: 3ms }
    us-east: { capacity: 4GB, policy: lru, time: 3ms }
  origin: { time: 40ms }
p2p: { online: 30%, serverHead: 15s, prefetch: 30s }
stores:
  playlists: { shards: 6, vnodes: 16, time: 1ms }
streams:
  plays: { partitions: 4, produce: gateway.play, consume: { instances: 2, time: 1ms } }
faults:
  - { at: 20s, for: 10s, crash: stores.playlists, shards: 6 }
budgets:
  p2p.server_share: < 50%
  plays.lag.p99: < 1s
`;

describe('content through the engine', () => {
  it('a journey step `stream` plays via P2P/CDN, `stores.x` reads the store, `gateway.play` produces', () => {
    const r = simulateSync(parseScenario(SCENARIO, 'engine.yaml'));
    const play = r.journeys.play;
    expect(play.count).toBeGreaterThan(7000);
    // The play journey now includes the playback start: above the two 1 ms services alone.
    expect(play.latency.p50).toBeGreaterThan(2);
    expect(r.p2p?.plays).toBeGreaterThan(7000);
    expect(Math.abs((r.streams?.plays.produced ?? 0) - (r.p2p?.plays ?? 0))).toBeLessThan(20);
    expect(r.cdn?.['eu-west'].requests).toBeGreaterThan(0);
    // Every store node down for 10 s of the 55 s window: about 18 % of list reads are unavailable.
    const list = r.journeys.list;
    expect((list.errors.unavailable ?? 0) / list.count).toBeGreaterThan(0.12);
    expect((list.errors.unavailable ?? 0) / list.count).toBeLessThan(0.25);
    expect(r.stores?.playlists.unavailable).toBeGreaterThan(0);
    expect(r.budgets.map((b) => b.pass)).toEqual([true, true]);
  });

  it('is deterministic and pools two replications', () => {
    const s = parseScenario(SCENARIO.replace('duration: 60s', 'duration: 30s'), 'engine.yaml');
    const a = simulateSync(s, { replications: 2 });
    const b = simulateSync(s, { replications: 2 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const one = simulateSync(s, { replications: 1 });
    expect(a.p2p?.plays).toBeGreaterThan(1.5 * (one.p2p?.plays ?? 0));
  });
});
