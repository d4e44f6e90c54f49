/**
 * A `key: item` store is read by the catalog item in the twin, as in the simulation
 * (`sim/content/content.ts` keys the read by `catalog.next()`): a hot item's reads land on that
 * item's replicas in both. Before, the twin keyed every store read by the user, so the reads below
 * spread over the ring (and reads of one named item from different users hit different nodes).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { itemId, pathItem } from '../../loadtests/twin/item.js';
import { startTwin, type Twin } from '../../loadtests/twin/twin.js';
import { parseScenario } from '../../scenarios/load.js';
import { StorePlacement } from '../../sim/content/store-placement.js';
import { simulateSync } from '../../sim/run.js';
import { get } from './timed-get.js';

let twins: Twin[] = [];
afterEach(async () => {
  await Promise.all(twins.map((t) => t.stop()));
  twins = [];
});

/** 8 nodes, one copy a key, read at `one`: every read of a key goes to exactly one node. */
const STORE = { shards: 8, vnodes: 8, replication: 1, consistency: 'one' as const };

function scenario(items: number, key = 'item') {
  return parseScenario(
    `name: t
seed: 1
duration: 10s
catalog: { items: ${items}, popularity: zipf(1), size: const(1KB) }
users:
  arrivals: poisson(50/s)
  journeys:
    read: { steps: [stores.kv] }
    viaApi: { steps: [api.get] }
    byUser: { steps: [stores.kv] }
services:
  api: { replicas: 1, workers: 8, time: const(0s), routes: { get: [stores.kv] } }
stores:
  kv: { shards: ${STORE.shards}, vnodes: ${STORE.vnodes}, replication: 1, consistency: one, key: ${key}, time: const(1ms) }
load:
  target: http://127.0.0.1:8080
  requests:
    read: "GET /tracks/{{catalog.item}}"
    viaApi: "GET /api/tracks/{{catalog.item}}"
    byUser: "GET /users/{{user.id}}/items/{{catalog.item}}x"
`,
    't.yaml',
  );
}

/** The node holding `item`'s one copy, by the placement rule the simulation and twin share. */
function nodeOf(item: number): number {
  const out = new Int32Array(1);
  new StorePlacement(STORE, ['default']).replicas(item, 0, out);
  return out[0];
}

async function twinOf(items: number, key?: string): Promise<Twin> {
  const t = await startTwin(scenario(items, key));
  twins.push(t);
  return t;
}

/** `n` reads of `path`, each as a different user; resolves to the store's per-node load. */
async function reads(twin: Twin, path: string, n: number): Promise<number[]> {
  for (let u = 1; u <= n; u++) {
    const a = await get(`${twin.endpoints.url}${path}`, { 'x-backline-user': String(u) });
    expect(a.status).toBe(200);
  }
  return [...(twin as unknown as { stores: Map<string, { load: number[] }> }).stores.get('kv')!.load];
}

const only = (node: number, count: number) =>
  Array.from({ length: STORE.shards }, (_, i) => (i === node ? count : 0));

describe('twin store keyed by item', () => {
  it('a one-item catalog: the simulation and the twin put every read on the same node', async () => {
    const sim = simulateSync(scenario(1)).stores?.kv;
    const total = sim!.load.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(300); // ~500 reads in 10 s at 50/s
    const node = sim!.load.findIndex((l) => l > 0);
    expect(node).toBe(nodeOf(0));
    expect(sim!.load).toEqual(only(node, total));
    // The twin draws the item from its catalog when the path names none.
    expect(await reads(await twinOf(1), '/journeys/read', 20)).toEqual(only(node, 20));
  });

  it('a named item goes to its node whoever reads it, also through a service route', async () => {
    const twin = await twinOf(1000);
    const direct = await reads(twin, '/tracks/7', 16);
    expect(direct).toEqual(only(nodeOf(7), 16));
    const both = await reads(twin, '/api/tracks/123', 16);
    const expected = only(nodeOf(7), 16);
    expected[nodeOf(123)] += 16;
    expect(both).toEqual(expected);
  });

  it('a template names the item only where it puts {{catalog.item}}, not at a user id', async () => {
    // /users/5/items/9x: the item is 9 (its segment), not 5; /users/5/items/zx names none (drawn: 0).
    expect(nodeOf(5)).not.toBe(nodeOf(9));
    expect(nodeOf(5)).not.toBe(nodeOf(0));
    const twin = await twinOf(1);
    expect(await reads(twin, '/users/5/items/9x', 8)).toEqual(only(nodeOf(9), 8));
    const load = await reads(twin, '/users/5/items/zx', 8);
    expect(load[nodeOf(0)]).toBe(8 + (nodeOf(0) === nodeOf(9) ? 8 : 0));
    expect(load[nodeOf(5)]).toBe(0);
  });

  it('key: user still spreads one item over the users’ nodes', async () => {
    const load = await reads(await twinOf(1000, 'user'), '/tracks/7', 40);
    expect(load.reduce((a, b) => a + b, 0)).toBe(40);
    expect(load.filter((l) => l > 0).length).toBeGreaterThanOrEqual(4);
  });
});

describe('the item a request names', () => {
  it('is the first all-digit path segment of at most 15 digits; anything else names none', () => {
    expect(pathItem('/v1/tracks/42/play')).toBe(42);
    expect(pathItem('/v1/tracks/007')).toBe(7);
    expect(pathItem('/v1/tracks/999999999999999')).toBe(999999999999999);
    for (const p of [
      '/',
      '/journeys/read',
      '/t/1e3',
      '/t/-1',
      '/t/0x10',
      '/t/1.5',
      '/t/ 1',
      '/t/1%0D%0A',
      '/t/__proto__',
    ])
      expect(pathItem(p)).toBeUndefined();
    expect(pathItem('/t/9999999999999999')).toBeUndefined(); // 16 digits: not exact as a double
    expect(pathItem(`/t/${'9'.repeat(100_000)}`)).toBeUndefined();
  });

  it('a header carries it only as a plain id', () => {
    expect(itemId('123')).toBe(123);
    for (const h of [undefined, '', ' 1', '1\r\n', '1,2', '__proto__', 'NaN', '1e3', '-0', '"1"'])
      expect(itemId(h)).toBeUndefined();
    expect(itemId(['1', '2'])).toBeUndefined();
  });
});
