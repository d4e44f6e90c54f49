import { describe, expect, it } from 'vitest';
import { Catalog } from '../../sim/content/catalog.js';
import { P2p, type P2pOptions } from '../../sim/content/p2p.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';

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
