/**
 * How a transport is opened: the checked target, its pinned addresses, the connection cap and TLS
 * trust. Shared by every implementation so the scheduler and `flows` can swap them.
 */
import type { SecureContextOptions } from 'node:tls';

/** Options of every {@link Transport} factory. */
export interface TransportOptions {
  /** The target; its path is a prefix of every request path. */
  url: URL;
  /** Addresses that passed the allow-list check; connections go only there (no second lookup). */
  addresses: readonly string[];
  /** At most this many sockets. */
  connections: number;
  /** Extra trust for https targets (a self-signed CA); the system's roots otherwise. */
  ca?: SecureContextOptions['ca'];
  /**
   * Requests waiting for a free connection beyond this many are refused at once with cause
   * `no_connection`, so a stalled target cannot grow the generator's memory without bound.
   */
  maxPending?: number;
}

/** Default cap of requests waiting for a connection. */
export const DEFAULT_MAX_PENDING = 100_000;
