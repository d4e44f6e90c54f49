/**
 * Byte-capacity caches for CDN edges, the origin shield and P2P clients: `lru` (optionally with a
 * TTL) and `lfu`. Entries live in typed-array columns addressed by a slot index and are found through
 * an open-addressing key index, so a lookup or an admission allocates nothing and a cache of a
 * million objects costs a few typed arrays.
 *
 * One cache may hold several independent partitions (each with its own capacity and recency list):
 * the P2P model keeps every simulated client's local cache in one structure that way.
 */

import { KeyIndex } from '../kernel/key-index.js';

/** What every byte cache offers the models. */
export interface ByteCache {
  /** Capacity of each partition in bytes. */
  readonly capacity: number;
  /** A hit refreshes the entry (recency or frequency); an expired entry is dropped and misses. */
  lookup(key: number, now: number): boolean;
  /** Whether `key` is held, without touching recency or frequency. */
  contains(key: number): boolean;
  /** Stores `key` of `size` bytes in `partition`, evicting as needed; larger than the capacity → ignored. */
  admit(key: number, size: number, now: number, partition?: number): void;
  /** Bytes held in `partition`. */
  used(partition?: number): number;
  /** Entries held, all partitions. */
  readonly count: number;
}

/** Growable column storage shared by the two policies. */
abstract class Slots {
  protected key: Float64Array;
  protected bytes: Float64Array;
  protected free: Int32Array;
  protected freeTop = 0;
  protected next = 0;
  protected index: KeyIndex;

  constructor(initial: number) {
    this.key = new Float64Array(initial);
    this.bytes = new Float64Array(initial);
    this.free = new Int32Array(initial);
    this.index = new KeyIndex(initial);
  }

  get count(): number {
    return this.index.size;
  }

  contains(key: number): boolean {
    return this.index.get(key) >= 0;
  }

  protected alloc(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop];
    if (this.next === this.key.length) this.growSlots(this.key.length * 2);
    return this.next++;
  }

  protected release(slot: number): void {
    this.free[this.freeTop++] = slot;
  }

  protected growSlots(n: number): void {
    this.key = grow(this.key, n);
    this.bytes = grow(this.bytes, n);
    this.free = grow(this.free, n);
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

// Fields of an LRU row (see `LruCache.row`); the fourth is padding, so a row never straddles lines.
const PREV = 0;
const NEXT = 1;
const PART = 2;
const ROW = 4;

/**
 * Least-recently-used eviction, O(1) per operation: a doubly linked list per partition in typed
 * arrays (head = most recent) plus the key index. With `ttl`, an entry older than `ttl` seconds since
 * it was admitted misses and is dropped (the `ttl` policy: staleness bounds how long a copy serves).
 */
export class LruCache extends Slots implements ByteCache {
  readonly capacity: number;
  readonly ttl: number;
  /** Lookups that found an expired entry. */
  expired = 0;
  // Per slot, one row of ROW int32s: list links and partition side by side, so touching an entry
  // costs one cache line rather than one per column. Rows are small because memory is touched as
  // slots are first used, and fresh pages are expensive: a million-entry cache is 16 MB of rows.
  private row: Int32Array;
  // Admission time per slot, only kept with a finite `ttl` (without one it is never read).
  private born: Float64Array;
  private readonly expires: boolean;
  private head: Int32Array;
  private tail: Int32Array;
  private usedBytes: Float64Array;

  /**
   * @param capacity bytes per partition.
   * @param opts `ttl` seconds (default none), `partitions` (default 1), `initial` slots to preallocate.
   */
  constructor(capacity: number, opts: { ttl?: number; partitions?: number; initial?: number } = {}) {
    const initial = opts.initial ?? 1024;
    super(initial);
    this.capacity = capacity;
    this.ttl = opts.ttl ?? Number.POSITIVE_INFINITY;
    const parts = opts.partitions ?? 1;
    this.expires = this.ttl !== Number.POSITIVE_INFINITY;
    this.row = new Int32Array(initial * ROW);
    this.born = new Float64Array(this.expires ? initial : 0);
    this.head = new Int32Array(parts).fill(-1);
    this.tail = new Int32Array(parts).fill(-1);
    this.usedBytes = new Float64Array(parts);
  }

  used(partition = 0): number {
    return this.usedBytes[partition];
  }

  lookup(key: number, now: number): boolean {
    const s = this.index.get(key);
    if (s < 0) return false;
    // Without a ttl nothing expires (now - born > Infinity never holds), so `born` is skipped.
    if (this.expires && now - this.born[s] > this.ttl) {
      this.expired++;
      this.remove(s);
      return false;
    }
    const p = this.row[s * ROW + PART];
    if (this.head[p] !== s) {
      this.unlink(s);
      this.pushFront(s, p);
    }
    return true;
  }

  admit(key: number, size: number, now: number, partition = 0): void {
    if (size > this.capacity) return;
    const found = this.index.get(key);
    if (found >= 0) this.remove(found);
    const used = this.usedBytes;
    while (used[partition] + size > this.capacity) this.remove(this.tail[partition]);
    const s = this.alloc();
    this.key[s] = key;
    this.bytes[s] = size;
    this.row[s * ROW + PART] = partition;
    if (this.expires) this.born[s] = now;
    used[partition] += size;
    this.pushFront(s, partition);
    this.index.set(key, s);
  }

  /** Keys of `partition` from most to least recent (tests, debugging). */
  keys(partition = 0): number[] {
    const out: number[] = [];
    for (let s = this.head[partition]; s >= 0; s = this.row[s * ROW + NEXT]) out.push(this.key[s]);
    return out;
  }

  private remove(s: number): void {
    this.unlink(s);
    this.usedBytes[this.row[s * ROW + PART]] -= this.bytes[s];
    this.index.delete(this.key[s]);
    this.release(s);
  }

  private unlink(s: number): void {
    const row = this.row;
    const r = s * ROW;
    const p = row[r + PART];
    const a = row[r + PREV];
    const b = row[r + NEXT];
    if (a >= 0) row[a * ROW + NEXT] = b;
    else this.head[p] = b;
    if (b >= 0) row[b * ROW + PREV] = a;
    else this.tail[p] = a;
  }

  private pushFront(s: number, p: number): void {
    const row = this.row;
    const h = this.head[p];
    const r = s * ROW;
    row[r + PREV] = -1;
    row[r + NEXT] = h;
    if (h >= 0) row[h * ROW + PREV] = s;
    else this.tail[p] = s;
    this.head[p] = s;
  }

  protected override growSlots(n: number): void {
    super.growSlots(n);
    const row = new Int32Array(n * ROW);
    row.set(this.row);
    this.row = row;
    if (this.expires) this.born = grow(this.born, n);
  }
}

/**
 * Least-frequently-used eviction (in-cache counts; ties go to the least recent), O(log n) per
 * operation through an indexed binary min-heap over (frequency, last use) per partition-free cache.
 * Only one partition: LFU serves edges and shields, not per-client caches.
 */
export class LfuCache extends Slots implements ByteCache {
  readonly capacity: number;
  private freq: Float64Array;
  private stamp: Float64Array;
  private pos: Int32Array;
  private heap: Int32Array;
  private size = 0;
  private clock = 0;
  private usedBytes = 0;

  constructor(capacity: number, opts: { initial?: number } = {}) {
    const initial = opts.initial ?? 1024;
    super(initial);
    this.capacity = capacity;
    this.freq = new Float64Array(initial);
    this.stamp = new Float64Array(initial);
    this.pos = new Int32Array(initial);
    this.heap = new Int32Array(initial);
  }

  used(): number {
    return this.usedBytes;
  }

  lookup(key: number): boolean {
    const s = this.index.get(key);
    if (s < 0) return false;
    this.freq[s]++;
    this.stamp[s] = this.clock++;
    this.down(this.pos[s]);
    return true;
  }

  admit(key: number, size: number): void {
    if (size > this.capacity) return;
    const found = this.index.get(key);
    if (found >= 0) {
      this.lookup(key);
      return;
    }
    while (this.usedBytes + size > this.capacity) this.evictMin();
    const s = this.alloc();
    this.key[s] = key;
    this.bytes[s] = size;
    this.freq[s] = 1;
    this.stamp[s] = this.clock++;
    this.usedBytes += size;
    this.index.set(key, s);
    const i = this.size++;
    this.heap[i] = s;
    this.pos[s] = i;
    this.up(i);
  }

  private less(a: number, b: number): boolean {
    return this.freq[a] < this.freq[b] || (this.freq[a] === this.freq[b] && this.stamp[a] < this.stamp[b]);
  }

  private evictMin(): void {
    const s = this.heap[0];
    const last = this.heap[--this.size];
    if (this.size > 0) {
      this.heap[0] = last;
      this.pos[last] = 0;
      this.down(0);
    }
    this.usedBytes -= this.bytes[s];
    this.index.delete(this.key[s]);
    this.release(s);
  }

  private up(i: number): void {
    const h = this.heap;
    const s = h[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(s, h[p])) break;
      h[i] = h[p];
      this.pos[h[i]] = i;
      i = p;
    }
    h[i] = s;
    this.pos[s] = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = this.size;
    const s = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], s)) break;
      h[i] = h[c];
      this.pos[h[i]] = i;
      i = c;
    }
    h[i] = s;
    this.pos[s] = i;
  }

  protected override growSlots(n: number): void {
    super.growSlots(n);
    this.freq = grow(this.freq, n);
    this.stamp = grow(this.stamp, n);
    this.pos = grow(this.pos, n);
    this.heap = grow(this.heap, n);
  }
}

/** Cache policy names as scenarios spell them. */
export type CachePolicy = 'lru' | 'lfu' | 'ttl';

/** The cache a scenario's `policy` (and `ttl`) asks for. */
export function makeCache(policy: CachePolicy, capacity: number, ttl?: number): ByteCache {
  if (policy === 'lfu') return new LfuCache(capacity);
  return new LruCache(capacity, { ttl: policy === 'ttl' ? ttl : undefined });
}
