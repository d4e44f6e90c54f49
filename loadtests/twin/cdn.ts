/**
 * The twin's CDN: the first edge's cache, in bytes, with the simulation's own pure pieces: the byte
 * cache of the edge's policy (`sim/content/cache.ts`: LRU, LFU or TTL, evicting by bytes) and the
 * catalog's item sizes and popularity (`sim/content/catalog.ts`, the default catalog when the
 * scenario has none). A hit costs the edge time; a miss the edge and the origin time, after which
 * the item is admitted; requests for an item already being fetched wait for that fetch, as the
 * simulation coalesces them.
 */
import { type ByteCache, makeCache } from '../../sim/content/cache.js';
import { Catalog, DEFAULT_CATALOG } from '../../sim/content/catalog.js';
import { sampler } from '../../sim/kernel/distributions.js';
import type { RandomStreams } from '../../sim/kernel/random.js';
import type { CallOutcome } from './calls.js';
import { sleep } from './http.js';
import { pathItem } from './item.js';
import type { TwinScenario } from './twin-scenario.js';

/** The CDN a `cdn`/`stream` step reaches: the first edge's cache, its time and the origin's. */
export class TwinCdn {
  readonly cache: ByteCache;
  readonly catalog: Catalog;
  /** Requests served, and those the edge held. */
  requests = 0;
  hits = 0;
  private readonly edge: () => number;
  private readonly origin: () => number;
  /** Origin fetches in flight, by item: a second miss waits for the first one's fetch. */
  private readonly fetching = new Map<number, Promise<void>>();

  /** `now` is the twin's clock in seconds (a TTL edge expires entries by it). */
  constructor(
    cdn: NonNullable<TwinScenario['cdn']>,
    catalog: TwinScenario['catalog'],
    streams: RandomStreams,
    private readonly now: () => number,
  ) {
    const edge = Object.values(cdn.edges)[0];
    this.cache = makeCache(edge.policy, edge.capacity, edge.ttl);
    this.catalog = new Catalog(catalog ?? DEFAULT_CATALOG, streams.stream('twin:items'));
    this.edge = sampler(edge.time, streams.stream('twin:cdn:edge'));
    this.origin = sampler(cdn.origin.time, streams.stream('twin:cdn:origin'));
  }

  /**
   * Whether `item` is served from the edge; a miss admits it once `fetched` resolves (the origin's
   * time), and a miss of an item being fetched waits for that fetch instead of starting another.
   */
  async fetch(item: number, fetched: () => Promise<void>): Promise<boolean> {
    this.requests++;
    if (this.cache.lookup(item, this.now())) {
      this.hits++;
      return true;
    }
    const pending = this.fetching.get(item);
    if (pending) {
      await pending;
      return false;
    }
    const done = fetched().then(() => {
      this.fetching.delete(item);
      this.cache.admit(item, this.catalog.size(item), this.now());
    });
    this.fetching.set(item, done);
    await done;
    return false;
  }

  /** Serves the item the path names (`/…/<id>/…`), else one drawn: the edge's time, plus the origin's on a miss. */
  async serve(path: string): Promise<CallOutcome> {
    const item = pathItem(path) ?? this.catalog.next();
    await sleep(this.edge());
    await this.fetch(item, () => sleep(this.origin()));
    return { ok: true, status: 200 };
  }
}
