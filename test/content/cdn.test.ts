import { describe, expect, it } from 'vitest';
import { cheHitRatio } from '../../sim/content/analytic-cache.js';
import { Catalog } from '../../sim/content/catalog.js';
import { Cdn, type CdnOptions, CdnSource } from '../../sim/content/cdn.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';

const streams = new RandomStreams(21);
const rng = (name: string) => streams.stream(name);
const MB = 1e6;
const ms = (x: number) => ({ kind: 'const' as const, value: x / 1000 });

function setup(opts: Partial<CdnOptions> = {}, items = 1000) {
  const kernel = new Kernel();
  const catalog = new Catalog(
    { items, popularity: { kind: 'zipf', s: 0.8, n: items }, size: { kind: 'const', value: 4 * MB } },
    rng('catalog'),
  );
  const done: { token: number; ok: boolean; source: number; at: number }[] = [];
  const cdn = new Cdn(
    kernel,
    {
      edges: {
        'eu-west': { capacity: 400 * MB, policy: 'lru', time: ms(3) },
        'us-east': { capacity: 400 * MB, policy: 'lru', time: ms(3) },
      },
      origin: { time: ms(40) },
      ...opts,
    },
    catalog,
    rng,
    (token, ok, source) => done.push({ token, ok, source, at: kernel.now }),
  );
  return { kernel, catalog, cdn, done };
}

describe('CDN edges', () => {
  it('a miss costs edge + origin time, the next request of the item hits at edge time', () => {
    const { kernel, cdn, done } = setup();
    cdn.request(1, 0, 7);
    kernel.run();
    cdn.request(2, 0, 7);
    const t0 = kernel.now;
    kernel.run();
    expect(done[0]).toMatchObject({ token: 1, ok: true, source: CdnSource.Origin });
    expect(done[0].at).toBeCloseTo(0.043, 9);
    expect(done[1]).toMatchObject({ token: 2, ok: true, source: CdnSource.Edge });
    expect(done[1].at - t0).toBeCloseTo(0.003, 9);
    expect(cdn.results()['eu-west']).toMatchObject({ requests: 2, hits: 1, hitRatio: 0.5, originFetches: 1 });
  });

  it('coalesces 100 concurrent misses of one item into one origin fetch', () => {
    const { kernel, cdn, done } = setup();
    for (let i = 0; i < 100; i++) cdn.request(i, 0, 5);
    kernel.run();
    const r = cdn.results()['eu-west'];
    expect(r.originFetches).toBe(1);
    expect(r.coalesced).toBe(99);
    expect(done).toHaveLength(100);
    expect(new Set(done.map((d) => d.at)).size).toBe(1); // all complete when the fetch lands
    expect(cdn.originLoad()).toBe(1);
  });

  it('a down edge fails over to the next edge, and with every edge down to the origin', () => {
    const { kernel, cdn, done } = setup();
    cdn.setDown(0, true);
    cdn.request(1, 0, 3);
    kernel.run();
    expect(cdn.results()['us-east'].requests).toBe(1);
    expect(cdn.results()['eu-west'].requests).toBe(0);
    cdn.setDown(1, true);
    cdn.request(2, 0, 3);
    kernel.run();
    expect(cdn.direct).toBe(1);
    expect(done.map((d) => d.ok)).toEqual([true, true]);
    cdn.setOriginDown(true);
    cdn.request(3, 0, 3);
    expect(done[2]).toMatchObject({ token: 3, ok: false });
  });

  it('an origin shield absorbs the second region’s miss', () => {
    const { kernel, cdn, done } = setup({
      origin: { time: ms(40), shield: { capacity: 4000 * MB, time: ms(10) } },
    });
    cdn.request(1, 0, 9);
    kernel.run();
    cdn.request(2, 1, 9);
    const t0 = kernel.now;
    kernel.run();
    expect(done[0].at).toBeCloseTo(0.053, 9); // edge 3 + shield 10 + origin 40
    expect(done[1].source).toBe(CdnSource.Shield);
    expect(done[1].at - t0).toBeCloseTo(0.013, 9);
    const r = cdn.results();
    expect(r.shield).toMatchObject({ requests: 2, hits: 1, originFetches: 1 });
    expect(cdn.originLoad()).toBe(1);
  });

  it('edge hit ratio by requests and bytes follows Che for Zipf(0.8) over 1000 items, 100 fit', () => {
    const { kernel, catalog, cdn } = setup();
    const h = kernel.on(() => {
      cdn.request(0, 0, catalog.next());
      if (kernel.now < 2000) kernel.schedule(0.01, h);
    });
    kernel.at(0, h);
    kernel.run(200);
    cdn.resetStats();
    kernel.run(2000);
    const r = cdn.results()['eu-west'];
    const q = new Float64Array(1000);
    for (let k = 1; k <= 1000; k++) q[k - 1] = k ** -0.8;
    const sum = q.reduce((a, b) => a + b, 0);
    const che = cheHitRatio(
      q.map((x) => x / sum),
      100,
    ).hitRatio;
    expect(Math.abs(r.hitRatio - che)).toBeLessThan(0.02);
    expect(r.byteHitRatio).toBeCloseTo(r.hitRatio, 6); // equal sizes
  });
});

describe('catalog', () => {
  it('gives an item the same size every time, lognormal with the asked median', () => {
    const c = new Catalog(
      {
        items: 10_000_000,
        popularity: { kind: 'zipf', s: 1, n: 10_000_000 },
        size: { kind: 'lognormal', mu: Math.log(4e6), sigma: 0.4 },
      },
      rng('c'),
    );
    expect(c.size(123_456)).toBe(c.size(123_456));
    const sizes = Array.from({ length: 20_001 }, (_, i) => c.size(i * 499)).sort((a, b) => a - b);
    expect(sizes[10_000] / 4e6).toBeGreaterThan(0.98);
    expect(sizes[10_000] / 4e6).toBeLessThan(1.02);
  });

  it('draws item 0 as often as Zipf(1) over 10 M items says (1/H ≈ 6.2 %)', () => {
    const c = new Catalog(
      {
        items: 10_000_000,
        popularity: { kind: 'zipf', s: 1, n: 10_000_000 },
        size: { kind: 'const', value: 1 },
      },
      rng('d'),
    );
    let top = 0;
    for (let i = 0; i < 200_000; i++) if (c.next() === 0) top++;
    expect(top / 200_000).toBeCloseTo(1 / 16.695, 2);
  });
});
