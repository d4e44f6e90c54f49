/**
 * Sharded stores (Cassandra, Bigtable): consistent hashing over `shards` with `vnodes` each,
 * `replication` copies and a read consistency level. With `regions`, a ring of `shards` nodes and
 * `replication` copies of each key in every listed region (Cassandra's NetworkTopologyStrategy);
 * `local-one` / `local-quorum` read the coordinator's region only.
 */
import type { z } from 'zod';
import { choice, count, dist, names, section } from './fields.js';

/** Shards beyond this are refused: the hash ring would not fit in memory. */
export const MAX_SHARDS = 1e6;
/** Points of one hash ring (shards × vnodes): 1e7 is 120 MB of ring per replication. */
export const MAX_RING_POINTS = 1e7;

/** A sharded store. */
export const StoreSchema = section('store', {
  shards: count('shards', {
    integer: true,
    min: 1,
    max: MAX_SHARDS,
    tooLarge: 'the hash ring would not fit in memory',
  }),
  vnodes: count('vnodes', { integer: true, min: 1, max: 4096 }).default(64),
  replication: count('replication', { integer: true, min: 1, max: 100 }).default(3),
  consistency: choice('consistency', ['one', 'quorum', 'all', 'local-one', 'local-quorum']).default('quorum'),
  key: choice('key', ['user', 'item']).default('user'),
  /** How unevenly keys are read (zipf over keys). */
  skew: dist('skew', 'count').optional(),
  time: dist('time', 'duration'),
  regions: names('regions', '[eu-west, us-east]').optional(),
}).superRefine((s, ctx) => {
  if (s.regions?.length === 0)
    ctx.addIssue({
      code: 'custom',
      path: ['regions'],
      message:
        'a store lists at least one region, e.g. `[eu-west, us-east]`; leave `regions` out for one datacenter every caller reaches',
    });
  s.regions?.forEach((r, i) => {
    if (s.regions?.indexOf(r) !== i)
      ctx.addIssue({ code: 'custom', path: ['regions', i], message: `region \`${r}\` is listed twice` });
  });
  if (s.vnodes * s.shards > MAX_RING_POINTS)
    ctx.addIssue({
      code: 'custom',
      path: ['vnodes'],
      message: `${s.shards} shards × ${s.vnodes} vnodes make a hash ring of ${s.shards * s.vnodes} points; the limit is 1e7 (12 bytes a point, per replication) — use fewer vnodes`,
    });
});

/** A store of a scenario. */
export type Store = z.output<typeof StoreSchema>;
