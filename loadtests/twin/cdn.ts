/**
 * The twin's CDN: an in-memory LRU of item ids at the first edge, sized in bytes from the catalog's
 * mean item size. A hit costs the edge time; a miss the origin time, then the item is cached.
 */
import { sampler } from '../../sim/kernel/distributions.js';
import type { RandomStreams } from '../../sim/kernel/random.js';
import { zipfSampler } from '../../sim/kernel/zipf.js';
import type { CallOutcome } from './calls.js';
import { sleep } from './http.js';
import type { TwinScenario } from './twin-scenario.js';

/** An LRU set of item ids (Map keeps insertion order; re-inserting moves an item to the end). */
export class LruCache {
  private readonly items = new Map<string, true>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  /** True on a hit; a miss inserts `key`, evicting the least recently used item when full. */
  touch(key: string): boolean {
    if (this.items.delete(key)) {
      this.items.set(key, true);
      this.hits++;
      return true;
    }
    this.misses++;
    if (this.capacity <= 0) return false;
    if (this.items.size >= this.capacity) {
      const oldest = this.items.keys().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.set(key, true);
    return false;
  }
}

/** The CDN a `cdn`/`stream` step reaches: the first edge's cache, its time and the origin's. */
export class TwinCdn {
  readonly cache: LruCache;
  private readonly edge: () => number;
  private readonly origin: () => number;
  /** The item of a request whose path names none, drawn by the catalog's popularity. */
  private readonly items: () => number;

  constructor(
    cdn: NonNullable<TwinScenario['cdn']>,
    catalog: TwinScenario['catalog'],
    streams: RandomStreams,
  ) {
    const edge = Object.values(cdn.edges)[0];
    this.cache = new LruCache(Math.floor(edge.capacity / 4e6));
    this.edge = sampler(edge.time, streams.stream('twin:cdn:edge'));
    this.origin = sampler(cdn.origin.time, streams.stream('twin:cdn:origin'));
    this.items = catalog
      ? zipfSampler(
          Math.max(1, Math.floor(catalog.items)),
          catalog.popularity.kind === 'zipf' ? catalog.popularity.s : 1,
          streams.stream('twin:items'),
        )
      : () => 1;
  }

  /** Serves the item the path names (`/…/<id>/…`), else one drawn: the edge's time, plus the origin's on a miss. */
  async serve(path: string): Promise<CallOutcome> {
    const key = /\/(\d+)(?:\/|$)/.exec(path)?.[1] ?? String(this.items());
    await sleep(this.cache.touch(key) ? this.edge() : this.edge() + this.origin());
    return { ok: true, status: 200 };
  }
}
