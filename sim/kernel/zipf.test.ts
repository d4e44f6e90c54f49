import { describe, expect, it } from 'vitest';
import { RandomStreams } from './random.js';
import { zipfHarmonic, zipfSampler } from './zipf.js';

/** Sum of k^-s for k = 1..n, smallest terms first; the reference the implementation is checked against. */
function harmonic(n: number, s: number): number {
  let sum = 0;
  for (let k = n; k >= 1; k--) sum += k ** -s;
  return sum;
}

/** Allowed gap between an observed frequency and p: 4 binomial standard errors over `draws`. */
function fourSe(p: number, draws: number): number {
  return 4 * Math.sqrt((p * (1 - p)) / draws);
}

describe('zipfSampler', () => {
  const draws = 1_000_000;

  for (const s of [1.0, 0.8]) {
    it(`matches the exact pmf of ranks 1, 2, 3, 10 for n = 1000, s = ${s} within 4 standard errors`, () => {
      const n = 1000;
      const draw = zipfSampler(n, s, new RandomStreams(11).stream(`zipf-${s}`));
      const counts = new Float64Array(n + 1);
      for (let i = 0; i < draws; i++) counts[draw()]++;
      expect(counts[0]).toBe(0);
      const h = harmonic(n, s);
      for (const k of [1, 2, 3, 10]) {
        const p = k ** -s / h;
        expect(Math.abs(counts[k] / draws - p)).toBeLessThan(fourSe(p, draws));
      }
    });
  }

  it('draws ranks in [1, 1e7] with rank 1 at share 1/H(1e7, 1) ≈ 0.0599 for s = 1', () => {
    const n = 10_000_000;
    const draw = zipfSampler(n, 1, new RandomStreams(12).stream('zipf-big'));
    const p1 = 1 / harmonic(n, 1);
    // 1 / 16.6953 = 0.05990 (not 0.0589, a figure that sometimes circulates).
    expect(p1).toBeCloseTo(0.0599, 4);
    let ones = 0;
    let outside = 0;
    let fractional = 0;
    let max = 0;
    for (let i = 0; i < draws; i++) {
      const k = draw();
      if (k === 1) ones++;
      if (k < 1 || k > n) outside++;
      if (!Number.isInteger(k)) fractional++;
      if (k > max) max = k;
    }
    expect(outside).toBe(0);
    expect(fractional).toBe(0);
    // The tail is heavy: some draws must reach far into the ranks (P(k > 1e6) ≈ 0.14).
    expect(max).toBeGreaterThan(1_000_000);
    expect(Math.abs(ones / draws - p1)).toBeLessThan(fourSe(p1, draws));
  });

  it('needs no table: n = 2^53 - 1 works and stays in range', () => {
    // A table of 2^53 entries could not be allocated, so this only passes with O(1) memory.
    const n = Number.MAX_SAFE_INTEGER;
    const draw = zipfSampler(n, 1.2, new RandomStreams(13).stream('zipf-huge'));
    let ones = 0;
    let invalid = 0;
    for (let i = 0; i < 100_000; i++) {
      const k = draw();
      if (!(k >= 1 && k <= n && Number.isInteger(k))) invalid++;
      if (k === 1) ones++;
    }
    expect(invalid).toBe(0);
    // H(∞, 1.2) = ζ(1.2) ≈ 5.5916; 4 standard errors at 1e5 draws ≈ 0.0043.
    const p1 = 1 / 5.591582441177751;
    expect(Math.abs(ones / 100_000 - p1)).toBeLessThan(fourSe(p1, 100_000));
  });

  it('is uniform for s = 0 and follows the pmf for s near 1 (s = 1 + 1e-10) and steep s = 2.5', () => {
    const n = 50;
    for (const s of [0, 1 + 1e-10, 2.5]) {
      const draw = zipfSampler(n, s, new RandomStreams(14).stream(`zipf-s${s}`));
      const counts = new Float64Array(n + 1);
      const m = 400_000;
      for (let i = 0; i < m; i++) counts[draw()]++;
      const h = harmonic(n, s);
      for (const k of [1, 2, 5, 50]) {
        const p = k ** -s / h;
        expect(Math.abs(counts[k] / m - p)).toBeLessThan(fourSe(p, m));
      }
    }
  });

  it('always returns 1 when n = 1', () => {
    const draw = zipfSampler(1, 1, new RandomStreams(15).stream('zipf-one'));
    for (let i = 0; i < 1000; i++) expect(draw()).toBe(1);
  });

  it('rejects a non-integer or non-positive n and a negative s', () => {
    const rng = new RandomStreams(1).stream('x');
    expect(() => zipfSampler(0, 1, rng)).toThrow(/n must be/);
    expect(() => zipfSampler(10.5, 1, rng)).toThrow(/n must be/);
    expect(() => zipfSampler(10, -1, rng)).toThrow(/s must be/);
  });
});

describe('zipfHarmonic', () => {
  it('agrees with direct summation to 1e-12 relative for small and large n and s from -2 to 3', () => {
    for (const n of [1, 10, 256, 257, 1000, 123_457]) {
      for (const s of [-2, -1.2, 0, 0.5, 0.8, 1, 1.0000001, 2, 3]) {
        const exact = harmonic(n, s);
        expect(Math.abs(zipfHarmonic(n, s) - exact) / exact).toBeLessThan(1e-12);
      }
    }
  });

  it('gives H(1e7, 1) = 16.695311365859855 (ln 1e7 + γ + 1/(2n) - ...)', () => {
    expect(zipfHarmonic(10_000_000, 1)).toBeCloseTo(16.695311365859855, 11);
    expect(Math.abs(zipfHarmonic(10_000_000, 1) - harmonic(10_000_000, 1))).toBeLessThan(1e-10);
  });
});
