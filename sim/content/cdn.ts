/**
 * CDN edges per region in front of an origin, with an optional origin shield between them.
 *
 * A request reaches its region's edge (or, when that edge is down, the next edge that is up, or the
 * origin directly when none is). A hit completes after the edge's time. A miss starts an origin
 * fetch unless one for the same item is already on its way to this edge, in which case the request
 * waits on it (request coalescing: concurrent misses of one item make one origin fetch). When the
 * fetch lands the item is admitted into the edge cache and every waiter completes.
 *
 * Request and fetch records are typed-array columns with free lists; handlers are registered once, so
 * the per-request path allocates nothing.
 */
import type { CdnEdgeResult } from '../../results/run-result.js';
import type { DistSpec } from '../../scenarios/distribution.js';
import { sampler } from '../kernel/distributions.js';
import type { Kernel } from '../kernel/kernel.js';
import { KeyIndex } from '../kernel/key-index.js';
import type { Rng } from '../kernel/random.js';
import { type ByteCache, type CachePolicy, makeCache } from './cache.js';

/** One edge of the scenario's `cdn.edges` (CONTRACT.md). */
export interface CdnEdgeOptions {
  capacity: number;
  policy: CachePolicy;
  ttl?: number;
  time: DistSpec;
}

/** The scenario's `cdn` section (CONTRACT.md). */
export interface CdnOptions {
  edges: Record<string, CdnEdgeOptions>;
  origin: { time: DistSpec; shield?: { capacity: number; time: DistSpec } };
}

/** Where a request was served from, passed to the completion callback. */
export const CdnSource = { Edge: 0, Shield: 1, Origin: 2 } as const;
/** One of {@link CdnSource}'s values. */
export type CdnSource = (typeof CdnSource)[keyof typeof CdnSource];

/** Called when a request completes; `ok` is false when the origin is down too. */
export type CdnDone = (token: number, ok: boolean, source: CdnSource) => void;

/** Item sizes, usually the catalog. */
export interface Sized {
  readonly items: number;
  size(item: number): number;
}

/** Edges, shield and origin, driven by the kernel. */
export class Cdn {
  readonly edgeNames: string[];
  private readonly caches: ByteCache[];
  private readonly edgeTime: (() => number)[];
  // Per edge, the kernel FIFO lane for a constant edge time (hits then skip the event heap), or -1.
  private readonly edgeLane: Int32Array;
  private readonly originTime: () => number;
  private readonly shield: ByteCache | undefined;
  private readonly shieldTime: (() => number) | undefined;
  private readonly down: Uint8Array;
  private originDown = false;
  /** Extra one-way delay when a request fails over from edge `a` to edge `b` (seconds). */
  failoverDelay: (a: number, b: number) => number = () => 0;

  // Per-edge counters (index = edge; the shield's counters sit at index edges.length).
  private requests: Float64Array;
  private hits: Float64Array;
  private bytes: Float64Array;
  private hitBytes: Float64Array;
  private fetches: Float64Array;
  private coalesced: Float64Array;
  // Requests and hits since the last timeline tick (never cut by the warm-up reset).
  private ivRequests: Float64Array;
  private ivHits: Float64Array;
  /** Requests that went straight to the origin because every edge was down. */
  direct = 0;

  // Requests in flight.
  private rToken: Float64Array;
  private rNext: Int32Array;
  private rSource: Int32Array;
  private rFree: Int32Array;
  private rTop = 0;
  private rUsed = 0;
  // Origin fetches in flight.
  private fEdge: Int32Array;
  private fItem: Float64Array;
  private fHead: Int32Array;
  private fSource: Int32Array;
  private fFree: Int32Array;
  private fTop = 0;
  private fUsed = 0;
  private pending = new KeyIndex(256);

  private readonly hDone: number;
  private readonly hFetched: number;

  constructor(
    private readonly kernel: Kernel,
    opts: CdnOptions,
    private readonly catalog: Sized,
    rng: (name: string) => Rng,
    private readonly done: CdnDone,
  ) {
    this.edgeNames = Object.keys(opts.edges);
    if (this.edgeNames.length === 0) throw new RangeError('cdn: at least one edge is needed');
    this.caches = this.edgeNames.map((n) => {
      const e = opts.edges[n];
      return makeCache(e.policy, e.capacity, e.ttl);
    });
    this.edgeTime = this.edgeNames.map((n) => sampler(opts.edges[n].time, rng(`cdn:${n}`)));
    this.edgeLane = Int32Array.from(this.edgeNames, (n) => {
      const t = opts.edges[n].time;
      return t.kind === 'const' && t.value >= 0 && Number.isFinite(t.value) ? kernel.fifo(t.value) : -1;
    });
    this.originTime = sampler(opts.origin.time, rng('cdn:origin'));
    if (opts.origin.shield) {
      this.shield = makeCache('lru', opts.origin.shield.capacity);
      this.shieldTime = sampler(opts.origin.shield.time, rng('cdn:shield'));
    }
    const n = this.edgeNames.length + 1;
    this.down = new Uint8Array(n);
    this.requests = new Float64Array(n);
    this.hits = new Float64Array(n);
    this.bytes = new Float64Array(n);
    this.hitBytes = new Float64Array(n);
    this.fetches = new Float64Array(n);
    this.coalesced = new Float64Array(n);
    this.ivRequests = new Float64Array(n);
    this.ivHits = new Float64Array(n);
    this.rToken = new Float64Array(256);
    this.rNext = new Int32Array(256);
    this.rSource = new Int32Array(256);
    this.rFree = new Int32Array(256);
    this.fEdge = new Int32Array(64);
    this.fItem = new Float64Array(64);
    this.fHead = new Int32Array(64);
    this.fSource = new Int32Array(64);
    this.fFree = new Int32Array(64);
    this.hDone = kernel.on((r) => this.finish(r));
    this.hFetched = kernel.on((f) => this.fetched(f));
  }

  /** Index of the edge serving `region`, or 0 when the region has none. */
  edgeOf(region: string): number {
    const i = this.edgeNames.indexOf(region);
    return Math.max(0, i);
  }

  /** Marks edge `edge` down (failing over) or up again. */
  setDown(edge: number, isDown: boolean): void {
    this.down[edge] = isDown ? 1 : 0;
  }

  /** Marks the origin down: misses and direct requests fail. */
  setOriginDown(isDown: boolean): void {
    this.originDown = isDown;
  }

  /** Whether `item` is cached at `edge` (no side effects). */
  cached(edge: number, item: number): boolean {
    return this.caches[edge].contains(item);
  }

  /** Requests `item` at `edge` for caller `token`; `done` is called when it completes. */
  request(token: number, edge: number, item: number): void {
    let e = edge;
    let extra = 0;
    if (this.down[e] === 1) {
      const n = this.edgeNames.length;
      e = -1;
      for (let k = 1; k < n; k++) {
        const c = (edge + k) % n;
        if (this.down[c] === 0) {
          e = c;
          break;
        }
      }
      if (e < 0) {
        this.direct++;
        if (this.originDown) {
          this.done(token, false, CdnSource.Origin);
          return;
        }
        const r = this.allocRequest(token, CdnSource.Origin);
        this.kernel.schedule(this.originTime(), this.hDone, r);
        return;
      }
      extra = this.failoverDelay(edge, e);
    }
    const size = this.catalog.size(item);
    this.requests[e]++;
    this.ivRequests[e]++;
    this.bytes[e] += size;
    if (this.caches[e].lookup(item, this.kernel.now)) {
      this.hits[e]++;
      this.ivHits[e]++;
      this.hitBytes[e] += size;
      const r = this.allocRequest(token, CdnSource.Edge);
      // A constant time draws nothing, so the lane fires exactly when `schedule` would have.
      const lane = this.edgeLane[e];
      if (lane >= 0 && extra === 0) this.kernel.inFifo(lane, this.hDone, r);
      else this.kernel.schedule(extra + this.edgeTime[e](), this.hDone, r);
      return;
    }
    const key = e * this.catalog.items + item;
    const f = this.pending.get(key);
    const r = this.allocRequest(token, CdnSource.Origin);
    if (f >= 0) {
      this.coalesced[e]++;
      this.rNext[r] = this.fHead[f];
      this.fHead[f] = r;
      return;
    }
    if (this.originDown && !(this.shield?.contains(item) ?? false)) {
      this.releaseRequest(r);
      this.done(token, false, CdnSource.Origin);
      return;
    }
    this.fetches[e]++;
    const nf = this.allocFetch(e, item, r);
    this.pending.set(key, nf);
    let t = extra + this.edgeTime[e]();
    if (this.shield && this.shieldTime) {
      const s = this.edgeNames.length;
      this.requests[s]++;
      this.ivRequests[s]++;
      this.bytes[s] += size;
      t += this.shieldTime();
      if (this.shield.lookup(item, this.kernel.now)) {
        this.hits[s]++;
        this.ivHits[s]++;
        this.hitBytes[s] += size;
        this.fSource[nf] = CdnSource.Shield;
      } else {
        this.fetches[s]++;
        this.shield.admit(item, size, this.kernel.now);
        t += this.originTime();
      }
    } else {
      t += this.originTime();
    }
    this.kernel.schedule(t, this.hFetched, nf);
  }

  /**
   * Requests and hit ratio per edge (and `shield`) since the last call, for the timeline; starts the
   * next interval.
   */
  takeInterval(): Record<string, { requests: number; hitRatio: number }> {
    const out: Record<string, { requests: number; hitRatio: number }> = {};
    const rows = this.shield ? [...this.edgeNames, 'shield'] : this.edgeNames;
    rows.forEach((name, i) => {
      out[name] = { requests: this.ivRequests[i], hitRatio: ratio(this.ivHits[i], this.ivRequests[i]) };
    });
    this.ivRequests.fill(0);
    this.ivHits.fill(0);
    return out;
  }

  /** Forgets counters (end of warm-up); cache contents stay. */
  resetStats(): void {
    for (const a of [this.requests, this.hits, this.bytes, this.hitBytes, this.fetches, this.coalesced])
      a.fill(0);
    this.direct = 0;
  }

  /** Total origin fetches (origin load) since the last reset. */
  originLoad(): number {
    const s = this.edgeNames.length;
    if (this.shield) return this.fetches[s] + this.direct;
    let sum = this.direct;
    for (let e = 0; e < s; e++) sum += this.fetches[e];
    return sum;
  }

  /** Per-edge results (and `shield` when there is one). */
  results(): Record<string, CdnEdgeResult> {
    const out: Record<string, CdnEdgeResult> = {};
    const row = (i: number): CdnEdgeResult => ({
      requests: this.requests[i],
      hits: this.hits[i],
      hitRatio: ratio(this.hits[i], this.requests[i]),
      byteHitRatio: ratio(this.hitBytes[i], this.bytes[i]),
      originFetches: this.fetches[i],
      coalesced: this.coalesced[i],
    });
    this.edgeNames.forEach((n, i) => {
      out[n] = row(i);
    });
    if (this.shield) out.shield = row(this.edgeNames.length);
    return out;
  }

  private fetched(f: number): void {
    const e = this.fEdge[f];
    const item = this.fItem[f];
    this.pending.delete(e * this.catalog.items + item);
    this.caches[e].admit(item, this.catalog.size(item), this.kernel.now);
    let r = this.fHead[f];
    const src = this.fSource[f] as CdnSource;
    this.fFree[this.fTop++] = f;
    while (r >= 0) {
      const nx = this.rNext[r];
      const token = this.rToken[r];
      this.releaseRequest(r);
      this.done(token, true, src);
      r = nx;
    }
  }

  private finish(r: number): void {
    const token = this.rToken[r];
    const src = this.rSource[r] as CdnSource;
    this.releaseRequest(r);
    this.done(token, true, src);
  }

  private allocRequest(token: number, source: CdnSource): number {
    let r: number;
    if (this.rTop > 0) r = this.rFree[--this.rTop];
    else {
      if (this.rUsed === this.rToken.length) {
        const n = this.rUsed * 2;
        this.rToken = growF(this.rToken, n);
        this.rNext = growI(this.rNext, n);
        this.rSource = growI(this.rSource, n);
        this.rFree = growI(this.rFree, n);
      }
      r = this.rUsed++;
    }
    this.rToken[r] = token;
    this.rNext[r] = -1;
    this.rSource[r] = source;
    return r;
  }

  private releaseRequest(r: number): void {
    this.rFree[this.rTop++] = r;
  }

  private allocFetch(edge: number, item: number, head: number): number {
    let f: number;
    if (this.fTop > 0) f = this.fFree[--this.fTop];
    else {
      if (this.fUsed === this.fEdge.length) {
        const n = this.fUsed * 2;
        this.fEdge = growI(this.fEdge, n);
        this.fItem = growF(this.fItem, n);
        this.fHead = growI(this.fHead, n);
        this.fSource = growI(this.fSource, n);
        this.fFree = growI(this.fFree, n);
      }
      f = this.fUsed++;
    }
    this.fEdge[f] = edge;
    this.fItem[f] = item;
    this.fHead[f] = head;
    this.fSource[f] = CdnSource.Origin;
    return f;
  }
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 1e6) / 1e6 : 0;
}

function growF(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
