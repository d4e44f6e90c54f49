/**
 * `stores.<s>.regions` in the simulation: a datacenter per listed region (NetworkTopologyStrategy),
 * reads coordinated in the caller's region or the nearest one with a node up, the WAN paid on each
 * crossing. Before `regions` was read, every case below measured the plain ~4.2 ms quorum read.
 */
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reports/html.js';
import { loadScenario, parseScenario } from '../../scenarios/load.js';
import { simulateSync } from '../../sim/run.js';

const ONE_WAY = 40; // ms, eu-west <-> us-east
const INTRA = 0.5; // ms, inside a region
const MEAN = 5; // ms, one replica's exponential service time
/** Mean of the 2nd fastest of 3 exponential replicas (quorum of RF 3): 1/(3μ) + 1/(2μ). */
const QUORUM3 = MEAN * (1 / 3 + 1 / 2);

function scenario(
  store: string,
  extra = '',
  users = 'eu-west: { users: 100% }, us-east: { users: 0% }',
  jitter = '0%',
) {
  return parseScenario(
    `
name: store-regions
seed: 3
duration: 40s
warmup: 2s
replications: 3
regions: { ${users} }
latency: { intra: ${INTRA}ms, jitter: ${jitter}, eu-west<->us-east: ${ONE_WAY}ms }
users:
  arrivals: poisson(300/s)
  journeys:
    read: { steps: [stores.s] }
services:
  api: { replicas: 1, workers: 4, time: 1ms } # not called: the journey reads the store directly
stores:
  s: { shards: 6, vnodes: 16, replication: 3, time: exp(${MEAN}ms), ${store} }
${extra}`,
    'store-regions.yaml',
  );
}

describe('store regions in the simulation', () => {
  it('replicas only in a remote region: a read pays 2 × one-way latency over the quorum read (closed form within 1 %)', () => {
    const r = simulateSync(scenario('regions: [us-east]'));
    const expected = 2 * ONE_WAY + QUORUM3; // 84.17 ms: the coordinator is in us-east, its replicas local to it
    const store = r.stores?.s;
    expect(store?.latency.mean).toBeGreaterThan(expected * 0.99);
    expect(store?.latency.mean).toBeLessThan(expected * 1.01);
    // The journey sees the same read: nothing answers faster than the two crossings.
    expect(r.journeys.read.latency.p50).toBeGreaterThan(2 * ONE_WAY);
    expect(Math.abs(r.journeys.read.latency.mean - expected) / expected).toBeLessThan(0.01);
    // A ring of 6 nodes in us-east only: the per-node load has 6 entries, all used.
    expect(store?.load.length).toBe(6);
    expect(Math.min(...(store?.load ?? [0]))).toBeGreaterThan(0);
  });

  it('replicas in both regions at local-quorum: the local caller pays no WAN, only the intra hop each way', () => {
    const r = simulateSync(scenario('regions: [eu-west, us-east], consistency: local-quorum'));
    const expected = 2 * INTRA + QUORUM3; // 5.17 ms
    const lat = r.stores?.s.latency;
    expect(Math.abs((lat?.mean ?? 0) - expected) / expected).toBeLessThan(0.02);
    expect(lat?.max).toBeLessThan(ONE_WAY); // not one read crossed the ocean
    // Only eu-west's ring was asked: us-east's six nodes served nothing.
    const load = r.stores?.s.load ?? [];
    expect(load.length).toBe(12);
    expect(load.slice(6).every((x) => x === 0)).toBe(true);
    expect(load.slice(0, 6).every((x) => x > 0)).toBe(true);
  });

  it('replicas in both regions at quorum (4 of 6): every read waits for at least one remote answer', () => {
    const r = simulateSync(scenario('regions: [eu-west, us-east], consistency: quorum'));
    const lat = r.stores?.s.latency;
    // The 4th answer needs one of the us-east replicas (3 local): ≥ 2 × 40 ms + 1 ms of intra.
    expect(lat?.p50).toBeGreaterThan(2 * ONE_WAY + 2 * INTRA);
    // All six asked: both rings carry the same load.
    const load = r.stores?.s.load ?? [];
    const eu = load.slice(0, 6).reduce((a, b) => a + b, 0);
    const us = load.slice(6).reduce((a, b) => a + b, 0);
    expect(us).toBe(eu);
  });

  it('a caller in a region without a store node goes to the nearest region; one-way latency each way', () => {
    const r = simulateSync(
      scenario(
        'regions: [eu-west], consistency: local-quorum',
        '',
        'eu-west: { users: 0% }, us-east: { users: 100% }',
      ),
    );
    const expected = 2 * ONE_WAY + QUORUM3;
    expect(Math.abs((r.stores?.s.latency.mean ?? 0) - expected) / expected).toBeLessThan(0.01);
  });

  it('an outage of the local region fails local-quorum reads over to the other region for its length', () => {
    // 10 s of the 38 s measured: ~26 % of reads pay the ocean (84 ms), the rest 5.2 ms.
    const r = simulateSync(
      scenario(
        'regions: [eu-west, us-east], consistency: local-quorum',
        'faults:\n  - { at: 20s, for: 10s, outage: eu-west }',
      ),
    );
    const lat = r.stores?.s.latency;
    const share = 10 / 38;
    const expected = share * (2 * ONE_WAY + QUORUM3) + (1 - share) * (2 * INTRA + QUORUM3);
    expect(Math.abs((lat?.mean ?? 0) - expected) / expected).toBeLessThan(0.05);
    expect(r.stores?.s.unavailable).toBe(0);
  });

  it('a partition from the only store region, or its outage, makes reads unavailable for that time', () => {
    for (const fault of [
      '{ at: 20s, for: 10s, partition: eu-west<->us-east }',
      '{ at: 20s, for: 10s, outage: us-east }',
    ]) {
      const r = simulateSync(scenario('regions: [us-east]', `faults:\n  - ${fault}`));
      const read = r.journeys.read;
      const share = (read.errors.unavailable ?? 0) / read.count;
      expect(share, fault).toBeGreaterThan((10 / 38) * 0.9);
      expect(share, fault).toBeLessThan((10 / 38) * 1.1);
    }
  });

  it('crash all takes every node of every region down (shards × regions)', () => {
    const r = simulateSync(
      scenario(
        'regions: [eu-west, us-east], consistency: local-one',
        'faults:\n  - { at: 20s, for: 10s, crash: stores.s }',
      ),
    );
    const read = r.journeys.read;
    expect((read.errors.unavailable ?? 0) / read.count).toBeGreaterThan((10 / 38) * 0.9);
  });

  it('is deterministic with regions and jitter', () => {
    const half = 'eu-west: { users: 50% }, us-east: { users: 50% }';
    const s = scenario('regions: [us-east]', '', half, '10%');
    const a = simulateSync(s);
    expect(JSON.stringify(simulateSync(s))).toBe(JSON.stringify(a));
    // Half the callers cross (80–88 ms with 10 % jitter), half stay in us-east (1 ms of intra).
    const lat = a.stores?.s.latency;
    const expected = 0.5 * (2 * ONE_WAY * 1.05 + QUORUM3) + 0.5 * (2 * INTRA + QUORUM3);
    expect(Math.abs((lat?.mean ?? 0) - expected) / expected).toBeLessThan(0.02);
  });

  it('the store-regions catalog scenario teaches what its comment says', () => {
    const r = simulateSync(loadScenario('store-regions'));
    const profiles = r.stores?.profiles;
    const ledger = r.stores?.ledger;
    // local-quorum: no profiles read crosses the 38 ms ocean, even while eu-west is out.
    expect(profiles?.latency.max).toBeLessThan(38);
    expect(profiles?.load.length).toBe(12);
    // The result says which block of nodes is which region, and the report labels them so.
    expect(profiles?.regions).toEqual(['eu-west', 'us-east']);
    expect(ledger?.regions).toEqual(['eu-west']);
    const html = renderHtml(r);
    for (const label of ['eu-west 0', 'eu-west 5', 'us-east 0', 'us-east 5'])
      expect(html).toContain(`>${label}<`);
    // ledger lives in eu-west: us-east's 40 % pay 2 × 38 ms (p90), the local 60 % do not (p50).
    expect(ledger?.latency.p50).toBeLessThan(10);
    expect(ledger?.latency.p90).toBeGreaterThan(76);
    // The 1-minute outage of the 3.5 measured: ~29 % of balance reads have nowhere to go.
    const balance = r.journeys.balance;
    expect((balance.errors.unavailable ?? 0) / balance.count).toBeGreaterThan(0.25);
    expect((balance.errors.unavailable ?? 0) / balance.count).toBeLessThan(0.33);
    expect(r.budgets.every((b) => b.pass)).toBe(true);
    // quorum instead: 4 of 6 copies, so every profiles read waits for the other region.
    const q = simulateSync(
      loadScenario('store-regions', ['stores.profiles.consistency=quorum', 'faults=[]']),
    );
    expect(q.stores?.profiles.latency.p50).toBeGreaterThan(76);
  });
});
