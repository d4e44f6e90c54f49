/**
 * The transport the engine uses, by name. `flows` and the scheduler call {@link openTransport} and
 * never pick an implementation themselves.
 */
import { nodeHttpTransport } from './node-http.js';
import type { TransportOptions } from './options.js';
import { socketTransport } from './socket-pool.js';
import type { Transport } from './transport.js';
import { undiciTransport } from './undici.js';

/**
 * Implementations by name: `socket` the raw-socket pool, `undici` undici's Pool, `node` node:http
 * keep-alive agents.
 */
export const TRANSPORTS = {
  socket: socketTransport,
  undici: undiciTransport,
  node: nodeHttpTransport,
} as const;

/** Names of the implementations. */
export type TransportKind = keyof typeof TRANSPORTS;

/**
 * The open and closed model's transport unless asked otherwise: the raw-socket pool. Chosen by
 * measurement (`npm run bench load-engine`, README "Load tests"): in closed-loop pairs against
 * nginx it spends about as much CPU per request as raw autocannon, undici about twice as much, and
 * at 5 k/s on a crowded machine it kept more requests on time (undici times most out once behind).
 */
export const DEFAULT_TRANSPORT: TransportKind = 'socket';

/** Opens a connection pool to `opts.url` (default {@link DEFAULT_TRANSPORT}). */
export function openTransport(opts: TransportOptions, kind: TransportKind = DEFAULT_TRANSPORT): Transport {
  return TRANSPORTS[kind](opts);
}
