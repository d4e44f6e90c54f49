import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { buildContent, hasContent } from '../../sim/content/content.js';
import { combineContent } from '../../sim/content/content-results.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { simulateSync } from '../../sim/run.js';
import { backline } from '../cli.js';

const BASE = `
name: content-test
seed: 4
duration: 60s
regions: { eu-west: { users: 50% }, us-east: { users: 50% } }
catalog: { items: 1000, popularity: zipf(0.8), size: const(4MB) }
users:
  arrivals: poisson(100/s)
  journeys:
    play: { steps: [gateway.play, stream] }
    read: { steps: [stores.playlists] }
services:
  gateway: { time: const(1ms), routes: { play: [] } }
cdn:
  edges:
    eu-west: { capacity: 400MB, policy: lru, time: 3ms }
    us-east: { capacity: 400MB, policy: lfu, time: 3ms }
  origin: { time: 40ms }
p2p: { online: 30%, serverHead: 15s, prefetch: 30s }
stores:
  playlists: { shards: 6, vnodes: 16, time: 1ms }
streams:
  plays: { partitions: 4, produce: gateway.play, consume: { instances: 2, time: 1ms } }
faults:
  - { at: 20s, for: 10s, crash: stores.playlists, shards: 6 }
  - { at: 20s, for: 10s, outage: eu-west }
`;

describe('content integration', () => {
  it('resolves content steps to targets and leaves service steps alone', () => {
    const s = parseScenario(BASE, 'base.yaml');
    expect(hasContent(s)).toBe(true);
    const c = buildContent(new Kernel(), s, new RandomStreams(1), { done: () => {} });
    expect(c.target('stream')).toBeGreaterThanOrEqual(0);
    expect(c.target('cdn')).toBeGreaterThanOrEqual(0);
    expect(c.target('stores.playlists')).toBeGreaterThanOrEqual(0);
    expect(c.target('stores.nope')).toBe(-1);
    expect(c.target('gateway.play')).toBe(-1);
    expect(c.producersOf('gateway.play')).toEqual([0]);
  });

  it('plays, reads and produces through the engine and reports every content section', () => {
    const s = parseScenario(BASE, 'base.yaml');
    const r = simulateSync(s);
    expect(r.p2p?.plays).toBeGreaterThan(2500);
    const shares = (r.p2p?.serverShare ?? 0) + (r.p2p?.peerShare ?? 0) + (r.p2p?.cacheShare ?? 0);
    expect(shares).toBeCloseTo(1, 5);
    // P2P server fetches go through the CDN edges of the player's region.
    expect((r.cdn?.['eu-west'].requests ?? 0) + (r.cdn?.['us-east'].requests ?? 0)).toBeGreaterThan(0);
    // Every play produced one message (a few plays were still starting at the end); consumers kept up.
    expect(Math.abs((r.streams?.plays.produced ?? 0) - r.journeys.play.count)).toBeLessThan(10);
    expect(r.streams?.plays.lagMessages.max).toBeLessThan(20);
    // All 6 nodes down for 10 s of 60: about a sixth of the reads fail as unavailable.
    const reads = r.journeys.read.count;
    expect(r.journeys.read.errors).toEqual({ unavailable: r.stores?.playlists.unavailable });
    expect(r.journeys.read.errorRate).toBeGreaterThan(0.12);
    expect(r.journeys.read.errorRate).toBeLessThan(0.22);
    expect(reads).toBeGreaterThan(2500);
  });

  it('is deterministic: the same seed gives the same results', () => {
    const s = parseScenario(BASE, 'base.yaml', ['duration=30s']);
    const a = JSON.stringify(simulateSync(s, { seed: 9 }));
    expect(JSON.stringify(simulateSync(s, { seed: 9 }))).toBe(a);
    expect(JSON.stringify(simulateSync(s, { seed: 10 }))).not.toBe(a);
  });

  it('the catalog scenarios load and their content runs', () => {
    for (const name of ['cdn-zipf', 'hot-shard', 'consumer-lag', 'spotify-2010', 'spotify']) {
      expect(hasContent(loadScenario(name))).toBe(true);
    }
    const cli = backline(['sim', 'consumer-lag', '--json', '--no-history', '--replications', '1']);
    expect(cli.code).toBe(0);
    const r = JSON.parse(cli.stdout);
    // Two of four consumers down from 2 m to 3 m: lag peaks near 9 000 messages, then drains.
    expect(r.streams.plays.lagMessages.max).toBeGreaterThan(7000);
    expect(r.streams.plays.lagMessages.max).toBeLessThan(11_000);
    expect(r.streams.plays.consumed).toBeGreaterThan(r.streams.plays.produced - 50);
    expect(r.streams.plays.produced).toBeGreaterThan(120_000); // 350/s for 6 minutes
  });

  it('pools replications: counts add, shares come from the pooled bytes', () => {
    const s = parseScenario(BASE, 'base.yaml');
    const raws = [1, 2].map((seed) => {
      const kernel = new Kernel();
      const c = buildContent(kernel, s, new RandomStreams(seed), { done: () => {} });
      for (let i = 0; i < 2000; i++) {
        c.request(c.target('stream'), i, i);
        c.request(c.target('stores.playlists'), i, i);
      }
      kernel.run(10);
      return c.raw();
    });
    const both = combineContent(raws);
    expect(both.p2p?.plays).toBe((raws[0].results.p2p?.plays ?? 0) + (raws[1].results.p2p?.plays ?? 0));
    expect(both.stores?.playlists.load.reduce((a, b) => a + b, 0)).toBe(2 * 3 * 2000); // RF 3, all up
    const shares = (both.p2p?.serverShare ?? 0) + (both.p2p?.peerShare ?? 0) + (both.p2p?.cacheShare ?? 0);
    expect(shares).toBeCloseTo(1, 5);
    expect(combineContent([raws[0]])).toEqual(raws[0].results);
  });
});
