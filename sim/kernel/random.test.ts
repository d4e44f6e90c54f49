import { describe, expect, it } from 'vitest';
import { RandomStreams, type Rng } from './random.js';

function take(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng());
}

describe('RandomStreams', () => {
  it('gives identical sequences for the same seed, replication and name', () => {
    const a = new RandomStreams(42, 3).stream('service.api');
    const b = new RandomStreams(42, 3).stream('service.api');
    expect(take(a, 1000)).toEqual(take(b, 1000));
  });

  it('restarts the sequence when the same name is asked for twice', () => {
    const streams = new RandomStreams(7);
    const first = streams.stream('users');
    const firstValues = take(first, 10);
    const second = streams.stream('users');
    expect(second).not.toBe(first);
    expect(take(second, 10)).toEqual(firstValues);
  });

  it('gives different sequences for different names, replications and seeds', () => {
    const reference = take(new RandomStreams(42, 0).stream('a'), 10);
    const variants = [
      new RandomStreams(42, 0).stream('b'),
      new RandomStreams(42, 1).stream('a'),
      new RandomStreams(43, 0).stream('a'),
      new RandomStreams(4, 20).stream('a'),
    ];
    for (const rng of variants) {
      const values = take(rng, 10);
      // No position in common: independent streams agree at a position with probability ~2^-32.
      for (let i = 0; i < values.length; i++) expect(values[i]).not.toBe(reference[i]);
    }
  });

  it('does not confuse a seed/replication boundary with part of the name', () => {
    const a = take(new RandomStreams(1, 2).stream('3'), 5);
    const b = take(new RandomStreams(1, 23).stream(''), 5);
    expect(a).not.toEqual(b);
  });

  it('draws values in [0, 1) with mean 0.5 within 0.002 over 1e6 draws', () => {
    // Standard error of the mean is sqrt(1/12)/1000 ≈ 2.9e-4, so 0.002 is about 7 standard errors.
    const rng = new RandomStreams(2024).stream('uniformity');
    const n = 1_000_000;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const u = rng();
      sum += u;
      if (u < min) min = u;
      if (u > max) max = u;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.002);
  });

  it('rejects a non-finite seed and a negative or fractional replication', () => {
    expect(() => new RandomStreams(Number.NaN)).toThrow(/seed/);
    expect(() => new RandomStreams(1, -1)).toThrow(/replication/);
    expect(() => new RandomStreams(1, 0.5)).toThrow(/replication/);
  });
});
