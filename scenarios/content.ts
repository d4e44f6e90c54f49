/**
 * Content delivery: the catalog of items (tracks) people play, the CDN edges that cache them and the
 * hybrid P2P network of clients that share them.
 */
import type { z } from 'zod';
import { parseDist } from './distribution.js';
import { bytesPerSecond, choice, count, dist, duration, named, section, share, size } from './fields.js';

/** Catalog items beyond this are refused: per-item state would not fit in memory. */
export const MAX_ITEMS = 1e9;

/** What there is to play: `items`, their popularity (zipf over ranks) and sizes in bytes. */
export const CatalogSchema = section('catalog', {
  items: count('items', {
    integer: true,
    min: 1,
    max: MAX_ITEMS,
    tooLarge: 'per-item state would not fit in memory',
  }),
  popularity: dist('popularity', 'count').default(parseDist('zipf(1.0)', { unit: 'count' })),
  size: dist('size', 'size').default(parseDist('lognormal(median: 4MB, p99: 12MB)', { unit: 'size' })),
}).transform((c) =>
  // A zipf without its own `n` ranks the whole catalog.
  c.popularity.kind === 'zipf' && c.popularity.n === 0
    ? { ...c, popularity: { ...c.popularity, n: c.items } }
    : c,
);

/** One CDN edge cache. */
export const EdgeSchema = section('edge', {
  capacity: size('capacity'),
  policy: choice('cache policy', ['lru', 'lfu', 'ttl']).default('lru'),
  ttl: duration('ttl', { positive: true }).optional(),
  time: dist('time', 'duration'),
}).superRefine((e, ctx) => {
  if (e.policy === 'ttl' && e.ttl === undefined)
    ctx.addIssue({ code: 'custom', path: ['ttl'], message: 'missing `ttl`: policy `ttl` needs a `ttl: 1h`' });
});

/** CDN: edges per region in front of an origin, optionally with a shield cache between them. */
export const CdnSchema = section('cdn', {
  edges: named('edge', EdgeSchema),
  origin: section('origin', {
    time: dist('time', 'duration'),
    shield: section('shield', { capacity: size('capacity'), time: dist('time', 'duration') }).optional(),
  }),
});

/** Hybrid P2P streaming (Spotify 2010): the first seconds from the server, the rest from peers. */
export const P2pSchema = section('p2p', {
  /** Share of clients online and able to serve peers. */
  online: share('online'),
  /** Seconds of each track fetched from the server before peers take over. */
  serverHead: duration('serverHead').default(15),
  /** Seconds of lookahead prefetched from peers. */
  prefetch: duration('prefetch').default(30),
  maxPeers: count('maxPeers', { integer: true, min: 1, max: 1000 }).default(10),
  /** Bytes of cache per client. */
  cache: size('cache').default(1e9),
  /** Bytes per second of a playing track (160 kbps). */
  bitrate: bytesPerSecond('bitrate').default(20_000),
  /** Upload bytes per second per peer. */
  uplink: bytesPerSecond('uplink').default(50_000),
});

/** The catalog of a scenario. */
export type Catalog = z.output<typeof CatalogSchema>;
/** The CDN of a scenario. */
export type Cdn = z.output<typeof CdnSchema>;
/** The P2P network of a scenario. */
export type P2p = z.output<typeof P2pSchema>;
