/**
 * Event streams (Kafka): `produce` names the route whose calls each publish one message, spread over
 * `partitions` by key; a consumer group of `instances` reads them.
 */
import * as z from 'zod';
import { choice, count, dist, duration, section } from './fields.js';
import { MAX_SHARDS } from './stores.js';

/** An event stream. */
export const StreamSchema = section('stream', {
  partitions: count('partitions', {
    integer: true,
    min: 1,
    max: MAX_SHARDS,
    tooLarge: 'per-partition state would not fit in memory',
  }),
  /** `gateway.play`: one message per call of that route. */
  produce: z.string({ error: 'expected a route like `gateway.play` for `produce`' }),
  key: choice('key', ['user', 'item', 'random']).default('user'),
  consume: section('consume', {
    instances: count('instances', { integer: true, min: 1, max: 1e6 }).default(1),
    time: dist('time', 'duration'),
  }),
  /** Pause of the consumer group while it rebalances after a consumer crash. */
  rebalance: duration('rebalance').default(5),
});

/** A stream of a scenario. */
export type Stream = z.output<typeof StreamSchema>;
