import { describe, expect, it } from 'vitest';
import {
  cheHitRatio,
  staticZipfHitRatio,
  zipfCheTime,
  zipfProbabilities,
} from '../../sim/content/analytic-cache.js';
import { type ByteCache, LfuCache, LruCache } from '../../sim/content/cache.js';
import { KeyIndex } from '../../sim/kernel/key-index.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { zipfSampler } from '../../sim/kernel/zipf.js';

/** Hit ratio of `cache` over `requests` Zipf draws after `warm` unmeasured ones (equal sizes of 1). */
function hitRatio(
  cache: ByteCache,
  n: number,
  s: number,
  seed: number,
  warm: number,
  requests: number,
): number {
  const draw = zipfSampler(n, s, new RandomStreams(seed).stream('zipf'));
  let hits = 0;
  for (let i = 0; i < warm + requests; i++) {
    const k = draw();
    const hit = cache.lookup(k, i);
    if (!hit) cache.admit(k, 1, i);
    if (hit && i >= warm) hits++;
  }
  return hits / requests;
}

describe('byte caches under Zipf', () => {
  it('Che gives 0.378 for N=1000, α=0.8 and 100 items of capacity', () => {
    const che = cheHitRatio(zipfProbabilities(1000, 0.8), 100);
    expect(che.hitRatio).toBeCloseTo(0.378, 2);
  });

  it('LRU hit ratio matches Che within 0.02 (mean of 5 seeds, 200k requests each)', () => {
    const che = cheHitRatio(zipfProbabilities(1000, 0.8), 100).hitRatio;
    const runs = [1, 2, 3, 4, 5].map((seed) => hitRatio(new LruCache(100), 1000, 0.8, seed, 20_000, 200_000));
    const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
    expect(Math.abs(mean - che)).toBeLessThan(0.02);
    // Each single run too, since 200k requests leave a standard error far below 0.02.
    for (const r of runs) expect(Math.abs(r - che)).toBeLessThan(0.02);
  });

  it('LFU beats LRU there and approaches the static optimum of 0.526', () => {
    const lru = hitRatio(new LruCache(100), 1000, 0.8, 7, 20_000, 200_000);
    const lfu = hitRatio(new LfuCache(100), 1000, 0.8, 7, 20_000, 200_000);
    const opt = staticZipfHitRatio(1000, 0.8, 100);
    expect(opt).toBeCloseTo(0.526, 2);
    expect(lfu).toBeGreaterThan(lru + 0.05);
    expect(lfu).toBeLessThanOrEqual(opt + 0.01);
  });

  it('the bucketed Zipf Che time equals the exact one', () => {
    const exact = cheHitRatio(zipfProbabilities(100_000, 1), 1000).time;
    const fast = zipfCheTime(100_000, 1, 1000);
    expect(Math.abs(fast - exact) / exact).toBeLessThan(1e-3);
  });
});

describe('LRU cache', () => {
  it('evicts the least recently used item to make room for bytes', () => {
    const c = new LruCache(10);
    c.admit(1, 4, 0);
    c.admit(2, 4, 0);
    expect(c.lookup(1, 1)).toBe(true); // 1 is now the most recent
    c.admit(3, 4, 2); // needs 4 bytes: evicts 2
    expect(c.keys()).toEqual([3, 1]);
    expect(c.used()).toBe(8);
    c.admit(4, 11, 3); // larger than the cache: ignored
    expect(c.contains(4)).toBe(false);
  });

  it('misses and drops an entry older than its ttl', () => {
    const c = new LruCache(10, { ttl: 5 });
    c.admit(1, 1, 0);
    expect(c.lookup(1, 5)).toBe(true);
    expect(c.lookup(1, 5.1)).toBe(false);
    expect(c.expired).toBe(1);
    expect(c.count).toBe(0);
  });

  it('keeps partitions independent', () => {
    const c = new LruCache(2, { partitions: 2 });
    c.admit(10, 1, 0, 0);
    c.admit(11, 1, 0, 0);
    c.admit(20, 1, 0, 1);
    c.admit(12, 1, 0, 0); // evicts 10 from partition 0 only
    expect([c.contains(10), c.contains(11), c.contains(12), c.contains(20)]).toEqual([
      false,
      true,
      true,
      true,
    ]);
    expect([c.used(0), c.used(1)]).toEqual([2, 1]);
  });
});

describe('KeyIndex', () => {
  it('agrees with a Map over 50k random sets and deletes, keys beyond 2^32 included', () => {
    const rng = new RandomStreams(3).stream('keys');
    const idx = new KeyIndex(4);
    const ref = new Map<number, number>();
    for (let i = 0; i < 50_000; i++) {
      const key = Math.floor(rng() * 500) * 4294967296 + Math.floor(rng() * 300);
      if (rng() < 0.4) {
        expect(idx.delete(key)).toBe(ref.delete(key));
      } else {
        idx.set(key, i);
        ref.set(key, i);
      }
    }
    expect(idx.size).toBe(ref.size);
    for (const [k, v] of ref) expect(idx.get(k)).toBe(v);
    expect(idx.get(123456789)).toBe(-1);
  });
});
