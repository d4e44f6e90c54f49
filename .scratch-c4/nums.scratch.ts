import { it } from 'vitest';
import { cheHitRatio, zipfProbabilities } from '../sim/analytic-cache.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { zipfSampler } from '../sim/kernel/zipf.js';
import { type ByteCache, LfuCache, LruCache } from '../sim/models/cache.js';
import { coefficientOfVariation, Ring } from '../sim/models/store.js';
function hr(cache: ByteCache, seed: number) {
  const draw = zipfSampler(1000, 0.8, new RandomStreams(seed).stream('zipf'));
  let hits = 0;
  for (let i = 0; i < 220000; i++) { const k = draw(); const h = cache.lookup(k, i); if (!h) cache.admit(k, 1, i); if (h && i >= 20000) hits++; }
  return hits / 200000;
}
it('nums', () => {
  console.log('che', cheHitRatio(zipfProbabilities(1000, 0.8), 100).hitRatio);
  console.log('lru', [1,2,3,4,5].map((s) => hr(new LruCache(100), s).toFixed(4)).join(' '));
  console.log('lfu', hr(new LfuCache(100), 7), 'lru7', hr(new LruCache(100), 7));
  let sum = 0; for (let seed = 1; seed <= 40; seed++) sum += coefficientOfVariation(new Ring(10, 100, seed).ownership());
  console.log('cv', sum / 40, Math.sqrt(9/1001));
});
