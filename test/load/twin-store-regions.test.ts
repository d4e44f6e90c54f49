/**
 * The twin serves `stores.<s>.regions` as the simulation does (`sim/content/store-placement.ts`):
 * node servers per region, the read coordinated in the caller's region or the nearest one, the
 * one-way latency slept on each crossing, outages and partitions applied. Before the twin read
 * `regions`, every read below took the store's 20 ms alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { unservedParts } from '../../loadtests/twin/unserved.js';
import { parseScenario } from '../../scenarios/load.js';
import { get } from './timed-get.js';

let twins: Twin[] = [];
afterEach(async () => {
  await Promise.all(twins.map((t) => t.stop()));
  twins = [];
});

/** 150 ms one way between a and b, none inside; each replica answers after 20 ms. */
const ONE_WAY = 150;
const TIME = 20;

function scenario(store: string, faults = '[]') {
  return parseScenario(
    `name: t
seed: 1
duration: 60s
regions: { a: { users: 50% }, b: { users: 50% } }
latency: { intra: 0s, jitter: 0%, a<->b: ${ONE_WAY}ms }
users: { arrivals: poisson(1/s), journeys: { read: { steps: [stores.kv] } } }
services: { client: { replicas: 1, workers: 8, time: const(0s) } }
stores:
  kv: { shards: 3, vnodes: 8, replication: 3, time: const(${TIME}ms), ${store} }
faults: ${faults}
`,
    't.yaml',
  );
}

async function twinOf(store: string, faults?: string): Promise<Twin> {
  const s = scenario(store, faults);
  // The twin serves every part of it: nothing is listed as not served.
  expect(unservedParts(s)).toEqual([]);
  const t = await startTwin(s);
  twins.push(t);
  return t;
}

/** One read from a caller in `region`. */
const read = (twin: Twin, region: string) =>
  get(`${twin.endpoints.url}/journeys/read`, { 'x-backline-region': region });

/** Bounds for one read that crosses twice: the sleeps cannot be shorter; 200 ms of slack for a busy machine. */
const crossed = (ms: number) => {
  expect(ms).toBeGreaterThanOrEqual(2 * ONE_WAY + TIME - 2);
  expect(ms).toBeLessThan(2 * ONE_WAY + TIME + 200);
};

describe('store regions in the twin', () => {
  it('replicas only in b: a caller in a pays 2 × 150 ms over the 20 ms read, a caller in b does not', async () => {
    const twin = await twinOf('regions: [b]');
    crossed((await read(twin, 'a')).ms);
    const local = await read(twin, 'b');
    expect(local.status).toBe(200);
    expect(local.ms).toBeGreaterThanOrEqual(TIME - 2);
    expect(local.ms).toBeLessThan(2 * ONE_WAY);
  });

  it('local-quorum with both regions stays local; quorum of 6 waits for the other region', async () => {
    const local = await twinOf('regions: [a, b], consistency: local-quorum');
    expect((await read(local, 'a')).ms).toBeLessThan(2 * ONE_WAY);
    const global = await twinOf('regions: [a, b], consistency: quorum');
    crossed((await read(global, 'a')).ms);
  });

  it('an outage of a sends local-quorum reads to b; a partition from the only store region makes them unavailable', async () => {
    const failover = await twinOf(
      'regions: [a, b], consistency: local-quorum',
      '[{ at: 0s, for: 30s, outage: a }]',
    );
    await new Promise((r) => setTimeout(r, 100));
    const away = await read(failover, 'a');
    expect(away.status).toBe(200);
    crossed(away.ms);
    const cut = await twinOf('regions: [b]', '[{ at: 0s, for: 30s, partition: a<->b }]');
    await new Promise((r) => setTimeout(r, 100));
    const refused = await read(cut, 'a');
    expect(refused.cause).toBe('unavailable');
    expect(refused.ms).toBeLessThan(2 * ONE_WAY);
    expect((await read(cut, 'b')).status).toBe(200);
  });
});
