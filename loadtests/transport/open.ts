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

/** Opens a connection pool to `opts.url` (default: the fastest correct implementation). */
export function openTransport(opts: TransportOptions, kind: TransportKind = 'socket'): Transport {
  return TRANSPORTS[kind](opts);
}
