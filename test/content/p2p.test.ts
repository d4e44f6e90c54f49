import { describe, expect, it } from 'vitest';
import { P2pSchema } from '../../scenarios/content.js';
import { loadScenario } from '../../scenarios/load.js';
import { Catalog } from '../../sim/content/catalog.js';
import { P2p, type P2pOptions } from '../../sim/content/p2p.js';
import { overlayReach } from '../../sim/content/p2p-peers.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { simulateSync } from '../../sim/run.js';

/** The schema's defaults: what a scenario naming only `online` gets. */
const DEFAULTS = P2pSchema.parse({ online: '30%' });

const TRACK = 4_800_000; // 240 s at 20 kB/s
const c = (v: number) => ({ kind: 'const' as const, value: v });

/** `clients` listeners playing back to back for `until` seconds (a closed loop: next play at track end). */
function listen(
  opts: Partial<P2pOptions>,
  items: number,
  clients: number,
  until: number,
  before: (p: P2p) => void = () => {},
  seed = 1,
) {
  const streams = new RandomStreams(seed);
  const rng = (n: string) => streams.stream(n);
  const kernel = new Kernel();
  const catalog = new Catalog(
    { items, popularity: { kind: 'zipf', s: 1, n: items }, size: c(TRACK) },
    rng('catalog'),
  );
  let failed = 0;
  const again = kernel.on((user) => p2p.request(user, user));
  const p2p: P2p = new P2p(
    kernel,
    {
      ...DEFAULTS,
      online: 0.3,
      serverHead: 15,
      prefetch: 30,
      maxPeers: 10,
      cache: 1e9,
      bitrate: 20_000,
      uplink: 50_000,
      clients,
      population: 100_000,
      search: c(0.1),
      server: c(0.05),
      local: c(0.01),
      ...opts,
    },
    catalog,
    rng,
    (user, ok) => {
      if (!ok) failed++;
      kernel.schedule(ok ? 240 : 1, again, user);
    },
  );
  for (let u = 0; u < clients; u++) kernel.at(u * 0.5, again, u);
  before(p2p);
  kernel.run(until);
  return { p2p, r: p2p.result(), failed };
}

describe('hybrid P2P streaming', () => {
  it('plays everything from the local cache when the catalog fits in it', () => {
    const { r } = listen({ cache: 100 * TRACK }, 50, 20, 3600);
    expect(r.cacheShare).toBe(1);
    expect(r.playbackStart.p50).toBeCloseTo(10, 0);
    expect(r.plays).toBeGreaterThan(20 * 14);
  });

  it('streams everything from the server when nobody is online and nothing is cached', () => {
    const { r } = listen({ online: 0, cache: TRACK / 2, predictable: 0 }, 1000, 20, 3600);
    expect(r.serverShare).toBe(1);
    expect(r.stutterRate).toBe(0);
    // Server first byte 50 ms + one 16 kB chunk at 1 MB/s.
    expect(r.playbackStart.p50).toBeCloseTo(50 + 16.384, 0);
  });

  it('with fast peers always found, the server sends exactly the 15 s head of a 240 s track (6.25 %)', () => {
    const { r } = listen(
      { cache: TRACK / 2, predictable: 0, population: 1e9, uplink: 1e6, search: c(0) },
      1000,
      20,
      3600,
    );
    expect(r.serverShare).toBeCloseTo(15 / 240, 6);
    expect(r.peerShare).toBeCloseTo(225 / 240, 6);
  });

  it('slow peers push the rest to the server when the buffer becomes urgent', () => {
    const fast = listen({ cache: TRACK / 2, predictable: 0, population: 1e9, search: c(0) }, 1000, 20, 7200);
    const slow = listen(
      { cache: TRACK / 2, predictable: 0, population: 1e9, search: c(0), uplink: 1_000, maxPeers: 2 },
      1000,
      20,
      7200,
    );
    expect(slow.r.serverShare).toBeGreaterThan(fast.r.serverShare + 0.3);
    expect(slow.r.serverShare + slow.r.peerShare + slow.r.cacheShare).toBeCloseTo(1, 6);
    expect(slow.r.stutterRate).toBe(0); // the server saves every urgent piece
  });

  it('prefetching the next track moves bytes off the server and starts plays locally', () => {
    const without = listen({ cache: TRACK / 2, predictable: 0 }, 100_000, 50, 7200);
    const withPrefetch = listen({ cache: TRACK / 2, predictable: 1 }, 100_000, 50, 7200);
    expect(withPrefetch.r.serverShare).toBeLessThan(without.r.serverShare);
    expect(withPrefetch.r.playbackStart.p50).toBeLessThan(without.r.playbackStart.p50);
    expect(withPrefetch.r.playbackStart.p50).toBeCloseTo(10, 0);
  });

  it('without a server, plays with peers still start and those without fail', () => {
    const { p2p, r } = listen(
      { cache: TRACK / 2, predictable: 0, uplink: 10_000 },
      1_000_000,
      20,
      3600,
      (p) => {
        p.serverDown = true;
      },
    );
    expect(p2p.failures).toBeGreaterThan(0);
    expect(r.plays).toBeGreaterThan(0);
    expect(r.serverShare).toBe(0);
    expect(r.stutterRate).toBeGreaterThan(0); // peers at 10 kB/s each cannot always sustain 20 kB/s
  });

  it('occupancy is Che’s 1 − e^{−qT}: near 1 for the top item, small deep in the tail', () => {
    const { p2p } = listen({ cache: 1e9 }, 1_000_000, 1, 0);
    expect(p2p.occupancy(0)).toBeGreaterThan(0.999);
    expect(p2p.occupancy(999_999)).toBeLessThan(0.01);
  });
});

describe('what the 2010 paper adds: taste, NATs, overlay reach, tracker, client start work', () => {
  it('listeners who always replay their own 20 favourites play almost everything from their caches', () => {
    const global = listen({ cache: 50 * TRACK, predictable: 0 }, 1_000_000, 20, 7200);
    const own = listen({ cache: 50 * TRACK, predictable: 0, favourites: 20, replay: 1 }, 1_000_000, 20, 7200);
    expect(global.r.cacheShare).toBeLessThan(0.5);
    expect(own.r.cacheShare).toBe(1);
  });

  it('when every peer is behind a NAT no two connect: every lookup goes without peers', () => {
    const { r } = listen({ cache: TRACK / 2, predictable: 0, nat: 1 }, 1000, 20, 3600);
    expect(r.noPeerShare).toBe(1);
    expect(r.peerShare).toBe(0);
    expect(r.serverShare).toBe(1);
  });

  it('a NAT share of one half thins what NATed clients can use: P(no peer) = ½e^{−1} + ½e^{−½} with one holder expected', () => {
    // One online holder expected per item (population × online × occupancy ≈ 1 for every item when
    // the cache holds the whole catalog): P(no usable peer) = e^{−1·(1 − nat)} for NATed clients.
    const opts = { cache: 1e15, predictable: 0, population: 1, online: 1, warm: false, nat: 0.5 };
    const { r } = listen(opts, 1000, 400, 3 * 3600);
    const expected = 0.5 * Math.exp(-1) + 0.5 * Math.exp(-0.5);
    expect(r.noPeerShare).toBeGreaterThan(expected - 0.05);
    expect(r.noPeerShare).toBeLessThan(expected + 0.05);
  });

  it('an overlay of 50 neighbours over 2 hops reaches 2 500 peers', () => {
    expect(overlayReach(50, 2)).toBe(2500);
    expect(overlayReach(50, 1)).toBe(50);
    expect(overlayReach(3, 3)).toBe(3 + 6 + 12);
  });

  it('a small overlay finds fewer holders than the whole population, and the tracker adds some back', () => {
    const base = { cache: TRACK / 2, predictable: 0, population: 1_000_000 };
    const all = listen(base, 100_000, 50, 3600).r.noPeerShare ?? 0;
    const small = listen({ ...base, neighbours: 5, hops: 1 }, 100_000, 50, 3600).r.noPeerShare ?? 0;
    const tracked =
      listen({ ...base, neighbours: 5, hops: 1, trackerMemory: 20 }, 100_000, 50, 3600).r.noPeerShare ?? 0;
    expect(small).toBeGreaterThan(all + 0.2);
    expect(tracked).toBeLessThan(small - 0.1);
  });

  it('client start work adds to every play: 200 ms on top of a 10 ms local start', () => {
    const { r } = listen({ cache: 100 * TRACK, start: c(0.2) }, 50, 20, 3600);
    expect(r.playbackStart.p50).toBeCloseTo(210, 0);
  });

  it('a search slower than the timeout finds no peers', () => {
    const { r } = listen(
      { cache: TRACK / 2, predictable: 0, search: c(3), searchTimeout: 2 },
      1000,
      20,
      3600,
    );
    expect(r.noPeerShare).toBe(1);
    expect(r.serverShare).toBe(1);
  });
});

describe('spotify-2010 against Kreitz & Niemelä (IEEE P2P 2010)', () => {
  // The catalog scenario as written, shortened (30 simulated minutes after a 10-minute warm-up,
  // 3 replications instead of 5: ~6 s of CPU, mostly filling 1 000 caches of 10 GB per replication)
  // so the test takes seconds. The README shows the full run, whose intervals all lie within 20 %;
  // this shorter run's intervals are wider, so here the point must be within 20 % and the interval
  // must reach into the ±20 % band.
  const r = simulateSync(loadScenario('spotify-2010', ['duration=40m', 'warmup=10m', 'replications=3']))
    .p2p as NonNullable<ReturnType<typeof simulateSync>['p2p']>;
  const within20 = (value: number, paper: number) => Math.abs(value - paper) / paper;

  it.each([
    ['data from servers', 'serverShare', 0.088],
    ['data from peers', 'peerShare', 0.358],
    ['data from the local cache', 'cacheShare', 0.554],
  ] as const)(
    '%s is within 20 %% of the paper, its 95 %% interval reaching into that band',
    (_, key, paper) => {
      expect(within20(r[key], paper)).toBeLessThan(0.2);
      const ci = r.ci?.[key] as [number, number];
      expect(ci[0]).toBeLessThanOrEqual(r[key]);
      expect(ci[1]).toBeGreaterThanOrEqual(r[key]);
      expect(ci[1]).toBeGreaterThan(0.8 * paper);
      expect(ci[0]).toBeLessThan(1.2 * paper);
    },
  );

  it('median playback latency is within 20 % of 265 ms, and under 1 % of plays stutter', () => {
    expect(within20(r.playbackStart.p50, 265)).toBeLessThan(0.2);
    const ci = r.ci?.playbackStartP50 as [number, number];
    expect(ci[1]).toBeGreaterThan(0.8 * 265);
    expect(ci[0]).toBeLessThan(1.2 * 265);
    expect(r.stutterRate).toBeLessThan(0.01);
    expect(r.plays).toBeGreaterThan(15_000);
  });

  it('the limits bite: some lookups find no usable peer, and lookups are a minority of plays', () => {
    expect(r.noPeerShare).toBeGreaterThan(0.02);
    expect(r.lookupShare).toBeGreaterThan(0.05);
    expect(r.lookupShare).toBeLessThan(0.5);
  });
});
