/**
 * Content delivery: the catalog of items (tracks) people play, the CDN edges that cache them and the
 * hybrid P2P network of clients that share them.
 */
import type { z } from 'zod';
import { parseDist } from './distribution.js';
import {
  bytesPerSecond,
  choice,
  count,
  dist,
  duration,
  flag,
  named,
  parsed,
  section,
  share,
  size,
} from './fields.js';
import { NO_SKIPS, parseSkipCurve } from './skip-curve.js';

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

/**
 * Hybrid P2P streaming (Spotify 2010): the first seconds from the server, the rest from peers. Every
 * knob of the model is a field here with its default, so nothing that shapes the result hides in the
 * model's code; the behaviours added for the paper's numbers (taste, NAT, tracker, overlay reach,
 * search timeout, listening to the track, skips) default to off, so a scenario that does not name
 * them is modelled as before.
 */
export const P2pSchema = section('p2p', {
  /** Share of clients online and able to serve peers. */
  online: share('online'),
  /** Seconds of each track fetched from the server before peers take over. */
  serverHead: duration('serverHead').default(15),
  /** Seconds of lookahead prefetched from peers. */
  prefetch: duration('prefetch').default(30),
  /** Peer connections used for one track. */
  maxPeers: count('maxPeers', { integer: true, min: 1, max: 1000 }).default(10),
  /** Bytes of cache per client. */
  cache: size('cache').default(1e9),
  /** Bytes per second of a playing track (160 kbps). */
  bitrate: bytesPerSecond('bitrate').default(20_000),
  /** Upload bytes per second per peer. */
  uplink: bytesPerSecond('uplink').default(50_000),
  /**
   * Share of plays whose track was the predictable next one (album/playlist order), played from its
   * prefetch — when the track before reached its prefetch point (else the play is looked up).
   */
  predictable: share('predictable').default(0.61),
  /** Buffer (seconds of audio) below which the server takes over from slow peers. */
  urgent: duration('urgent').default(1),
  /** Peer search time. */
  search: dist('search', 'duration').default(
    parseDist('lognormal(median: 100ms, p99: 1s)', { unit: 'duration' }),
  ),
  /** A search slower than this finds nothing (the client gives up on peers); 0 = never. */
  searchTimeout: duration('searchTimeout').default(0),
  /** Server first-byte time when no CDN is attached. */
  server: dist('server', 'duration').default(
    parseDist('lognormal(median: 80ms, p99: 500ms)', { unit: 'duration' }),
  ),
  /** Server → client transfer rate. */
  serverRate: bytesPerSecond('serverRate').default(1_000_000),
  /** Reading the first audio from the local cache (or the prefetched track). */
  local: dist('local', 'duration').default(
    parseDist('lognormal(median: 20ms, p99: 100ms)', { unit: 'duration' }),
  ),
  /** Client work in every play before audio is heard, wherever the data comes from (0 = none). */
  start: dist('start', 'duration').default(parseDist('const(0s)', { unit: 'duration' })),
  /** Bytes needed before playback can start from the network. */
  startBytes: size('startBytes').default(16_384),
  /** Fill client caches to their steady state at start. */
  warm: flag('warm').default(true),
  /** Tracks in each listener's own favourites (0 = listeners share one popularity law only). */
  favourites: count('favourites', { integer: true, min: 0, max: 100_000 }).default(0),
  /** Share of track choices that replay one of the listener's favourites. */
  replay: share('replay').default(0),
  /** Share of peers behind NATs/firewalls that cannot accept connections (two such peers never connect). */
  nat: share('nat').default(0),
  /** Overlay neighbours per client (0 = the search reaches every online peer). */
  neighbours: count('neighbours', { integer: true, min: 0, max: 10_000 }).default(0),
  /** Hops an overlay search travels (1 = neighbours, 2 = their neighbours too). */
  hops: count('hops', { integer: true, min: 1, max: 4 }).default(2),
  /** Peers per track the tracker remembers (its most recent players); 0 = no tracker. */
  trackerMemory: count('trackerMemory', { integer: true, min: 0, max: 10_000 }).default(0),
  /**
   * What a closed-loop listener does after playback starts: `none`, the play is over (the arrivals'
   * think time alone sets the gap to the next); `track`, they listen to the track (to its end, or to
   * where they skip it) and only then think and play the next.
   */
  listen: choice('listen', ['none', 'track']).default('none'),
  /** Share of plays abandoned by each point of playback (`'5s: 24%, 30s: 35%, end: 49%'`); `none`. */
  skip: parsed(
    "expected a skip curve like `'5s: 24%, 30s: 35%, end: 49%'` or `none`",
    parseSkipCurve,
  ).default(NO_SKIPS),
});

/** The catalog of a scenario. */
export type Catalog = z.output<typeof CatalogSchema>;
/** The CDN of a scenario. */
export type Cdn = z.output<typeof CdnSchema>;
/** The P2P network of a scenario. */
export type P2p = z.output<typeof P2pSchema>;
