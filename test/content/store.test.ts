import { describe, expect, it } from 'vitest';
import {
  coefficientOfVariation,
  kthSmallest,
  Ring,
  Store,
  type StoreOptions,
} from '../../sim/content/store.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';

const streams = new RandomStreams(11);
const rng = (name: string) => streams.stream(name);

function store(opts: Partial<StoreOptions>, onDone: (t: number, ok: boolean) => void = () => {}) {
  const kernel = new Kernel();
  const s = new Store(
    kernel,
    'playlists',
    {
      shards: 10,
      vnodes: 64,
      replication: 3,
      consistency: 'quorum',
      key: 'user',
      time: { kind: 'exp', mean: 0.001 },
      ...opts,
    },
    rng,
    onDone,
  );
  return { kernel, s };
}

describe('consistent-hash ring', () => {
  it('ownership CV with N=10, v=100 matches √((N−1)/(N·v+1)) ≈ 0.095 within 20 % (mean of 40 ring seeds)', () => {
    const theory = Math.sqrt(9 / 1001);
    expect(theory).toBeCloseTo(0.0948, 3);
    let sum = 0;
    for (let seed = 1; seed <= 40; seed++) sum += coefficientOfVariation(new Ring(10, 100, seed).ownership());
    const mean = sum / 40;
    expect(Math.abs(mean - theory) / theory).toBeLessThan(0.2);
  });

  it('ownership CV falls like 1/√v: v=4 is about 5× v=100', () => {
    let few = 0;
    for (let seed = 1; seed <= 40; seed++) few += coefficientOfVariation(new Ring(10, 4, seed).ownership());
    const theory = Math.sqrt(9 / 41);
    expect(Math.abs(few / 40 - theory) / theory).toBeLessThan(0.2);
  });

  it('per-shard request load of uniform keys follows the ownership', () => {
    const { s } = store({ vnodes: 100, replication: 1, consistency: 'one', ringSeed: 5 });
    for (let i = 0; i < 200_000; i++) s.request(i, -1);
    const own = s.placement.ring.ownership();
    for (let n = 0; n < 10; n++) expect(s.load[n] / 200_000).toBeCloseTo(own[n], 2);
  });

  it('places the replicas of a key on three distinct nodes', () => {
    const ring = new Ring(5, 8, 1);
    const out = new Int32Array(3);
    for (let i = 0; i < 100; i++) {
      expect(ring.replicas(i / 100, 3, out)).toBe(3);
      expect(new Set(out).size).toBe(3);
    }
  });
});

describe('store consistency', () => {
  it('quorum latency with RF=3 is the 2nd order statistic: mean 1/(3μ) + 1/(2μ) for exponential replicas', () => {
    const mean = 0.001; // 1/μ
    const { kernel, s } = store({ time: { kind: 'exp', mean } });
    for (let i = 0; i < 100_000; i++) s.request(i, i);
    kernel.run();
    const expected = mean / 3 + mean / 2; // 0.8333 ms
    expect(s.latency.count).toBe(100_000);
    expect(Math.abs(s.latency.meanMs() - expected * 1000) / (expected * 1000)).toBeLessThan(0.02);
  });

  it('consistency one and all give the 1st and 3rd order statistics', () => {
    const mean = 0.001;
    const one = store({ consistency: 'one', time: { kind: 'exp', mean } });
    const all = store({ consistency: 'all', time: { kind: 'exp', mean } });
    for (let i = 0; i < 50_000; i++) {
      one.s.request(i, i);
      all.s.request(i, i);
    }
    one.kernel.run();
    all.kernel.run();
    expect(one.s.latency.meanMs()).toBeCloseTo((mean / 3) * 1000, 1); // 0.333 ms
    expect(all.s.latency.meanMs()).toBeCloseTo((mean / 3 + mean / 2 + mean) * 1000, 1); // 1.833 ms
  });

  it('with 2 of 3 replicas down, quorum is unavailable and one still answers', () => {
    const results: boolean[] = [];
    const q = store({ shards: 3, vnodes: 4 }, (_t, ok) => results.push(ok));
    q.s.crash(2);
    q.s.request(1, 42);
    q.kernel.run();
    expect(results).toEqual([false]);
    expect(q.s.unavailable).toBe(1);

    const o = store({ shards: 3, vnodes: 4, consistency: 'one' }, (_t, ok) => results.push(ok));
    o.s.crash(2);
    o.s.request(2, 42);
    o.kernel.run();
    expect(results).toEqual([false, true]);
  });

  it('crashing 2 of 24 nodes makes quorum fail only for keys holding both', () => {
    const { kernel, s } = store({ shards: 24, vnodes: 64 });
    s.crash(2);
    for (let i = 0; i < 100_000; i++) s.request(i, i);
    kernel.run();
    // P(both crashed nodes among a key's 3 replicas) ≈ C(22,1)/C(24,3) = 22/2024 ≈ 1.1 %.
    expect(s.unavailable / 100_000).toBeGreaterThan(0.004);
    expect(s.unavailable / 100_000).toBeLessThan(0.025);
  });

  it('a Zipf key skew concentrates load: per-shard CV rises well above the uniform one', () => {
    const hot = store({
      shards: 24,
      vnodes: 64,
      skew: { kind: 'zipf', s: 1.1, n: 1_000_000 },
      replication: 1,
    });
    const flat = store({ shards: 24, vnodes: 64, replication: 1 });
    for (let i = 0; i < 100_000; i++) {
      hot.s.request(i);
      flat.s.request(i);
    }
    const cvHot = hot.s.result().cv;
    const cvFlat = flat.s.result().cv;
    expect(cvHot).toBeGreaterThan(2 * cvFlat);
  });

  it('kthSmallest picks order statistics', () => {
    const a = Float64Array.from([3, 1, 2]);
    expect(kthSmallest(a, 3, 2)).toBe(2);
  });
});
