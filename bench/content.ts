/**
 * Content benchmarks: byte-cache operations per second (LRU and LFU under Zipf over 10 M items),
 * CDN requests per second through the kernel, and the flagship `spotify` scenario through the full
 * engine (services and content: CDN, P2P, store, stream) in events per second with its peak heap
 * (build included: the P2P clients' caches are filled then).
 */
import { loadScenario } from '../scenarios/load.js';
import { advance, build } from '../sim/build.js';
import { type ByteCache, LfuCache, LruCache } from '../sim/content/cache.js';
import { Catalog } from '../sim/content/catalog.js';
import { Cdn } from '../sim/content/cdn.js';
import { Kernel } from '../sim/kernel/kernel.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { zipfSampler } from '../sim/kernel/zipf.js';

/** One benchmark line. */
export interface ContentLine {
  bench: 'content';
  lruOpsPerSec: number;
  lfuOpsPerSec: number;
  lruHitRatio: number;
  cdnRequestsPerSec: number;
  /** `peakHeapMB` counts the JS heap and typed-array buffers. */
  spotify: { events: number; seconds: number; eventsPerSec: number; peakHeapMB: number; engine: string };
}

function cacheOps(cache: ByteCache, n: number): { opsPerSec: number; hitRatio: number } {
  const draw = zipfSampler(10_000_000, 0.9, new RandomStreams(1).stream('bench'));
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = draw();
  let hits = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    if (cache.lookup(keys[i], i)) hits++;
    else cache.admit(keys[i], 1, i);
  }
  const s = (performance.now() - t0) / 1000;
  return { opsPerSec: Math.round(n / s), hitRatio: Math.round((hits / n) * 1e4) / 1e4 };
}

function cdnRate(n: number): number {
  const streams = new RandomStreams(2);
  const kernel = new Kernel(4096);
  const catalog = new Catalog(
    {
      items: 10_000_000,
      popularity: { kind: 'zipf', s: 1, n: 10_000_000 },
      size: { kind: 'lognormal', mu: Math.log(4e6), sigma: 0.4 },
    },
    streams.stream('catalog'),
  );
  const cdn = new Cdn(
    kernel,
    {
      edges: { eu: { capacity: 2e12, policy: 'lru', time: { kind: 'const', value: 0.003 } } },
      origin: { time: { kind: 'exp', mean: 0.04 } },
    },
    catalog,
    (name) => streams.stream(name),
    () => {},
  );
  const h = kernel.on(() => {
    cdn.request(0, 0, catalog.next());
    kernel.schedule(0.0001, h);
  });
  kernel.at(0, h);
  const t0 = performance.now();
  kernel.run(n * 0.0001);
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/** JS heap plus typed-array buffers: the caches and queues live in the latter. */
function heapNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Runs the content benchmarks once. */
export function benchContent(scale = 1): ContentLine {
  const n = Math.round(2_000_000 * scale);
  const lru = cacheOps(new LruCache(100_000), n);
  const lfu = cacheOps(new LfuCache(100_000), n);
  const cdn = cdnRate(Math.round(500_000 * scale));
  // The flagship scenario through the full engine (services, network, faults) with content wired in.
  const scenario = loadScenario('spotify');
  const duration = scenario.duration * scale;
  let peak = heapNow();
  const t0 = performance.now();
  const model = build({ ...scenario, duration }, scenario.seed, 0);
  const kernel = model.kernel;
  const watch = kernel.on(() => {
    peak = Math.max(peak, heapNow());
    kernel.schedule(10, watch);
  });
  kernel.at(0, watch);
  advance(model, duration);
  const seconds = (performance.now() - t0) / 1000;
  peak = Math.max(peak, heapNow());
  const events = kernel.fired;
  return {
    bench: 'content',
    lruOpsPerSec: lru.opsPerSec,
    lfuOpsPerSec: lfu.opsPerSec,
    lruHitRatio: lru.hitRatio,
    cdnRequestsPerSec: cdn,
    spotify: {
      events,
      seconds: Math.round(seconds * 100) / 100,
      eventsPerSec: Math.round(events / seconds),
      peakHeapMB: Math.round(peak / 1e5) / 10,
      engine: model.content ? 'topology + content' : 'topology (content not wired)',
    },
  };
}
