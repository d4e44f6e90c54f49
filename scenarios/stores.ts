/**
 * Sharded stores (Cassandra, Bigtable): consistent hashing over `shards` with `vnodes` each,
 * `replication` copies and a read consistency level.
 */
import type { z } from 'zod';
import { choice, count, dist, names, section } from './fields.js';

/** Shards beyond this are refused: the hash ring would not fit in memory. */
export const MAX_SHARDS = 1e6;

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
  consistency: choice('consistency', ['one', 'quorum', 'all']).default('quorum'),
  key: choice('key', ['user', 'item']).default('user'),
  /** How unevenly keys are read (zipf over keys). */
  skew: dist('skew', 'count').optional(),
  time: dist('time', 'duration'),
  regions: names('regions', '[eu-west, us-east]').optional(),
}).superRefine((s, ctx) => {
  if (s.vnodes * s.shards > 1e8)
    ctx.addIssue({
      code: 'custom',
      path: ['vnodes'],
      message: `${s.shards} shards × ${s.vnodes} vnodes make a hash ring of more than 1e8 points; use fewer vnodes`,
    });
});

/** A store of a scenario. */
export type Store = z.output<typeof StoreSchema>;
