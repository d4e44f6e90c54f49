import { describe, expect, it } from 'vitest';
import { distMean } from './dist-mean.js';
import { parseDist } from './distribution.js';

const mean = (text: string) => distMean(parseDist(text, { unit: 'duration' }));

describe('distMean', () => {
  it('gives the closed-form mean of each distribution', () => {
    expect(mean('const(2ms)')).toBe(0.002);
    expect(mean('uniform(1ms, 3ms)')).toBe(0.002);
    expect(mean('exp(5ms)')).toBe(0.005);
    expect(mean('gamma(shape: 2, scale: 5ms)')).toBe(0.01);
    // lognormal: e^(μ + σ²/2) with μ = ln 1 ms, σ = 0.5.
    expect(mean('lognormal(mu: -6.907755278982137, sigma: 0.5)')).toBeCloseTo(0.001 * Math.exp(0.125), 15);
    // weibull shape 2: scale × Γ(1.5) = scale × √π / 2.
    expect(mean('weibull(shape: 2, scale: 1s)')).toBeCloseTo(Math.sqrt(Math.PI) / 2, 12);
    expect(mean('pareto(scale: 1ms, shape: 3)')).toBeCloseTo(0.0015, 15);
    expect(mean('pareto(scale: 1ms, shape: 1)')).toBe(Number.POSITIVE_INFINITY);
    expect(mean('empirical([1ms, 2ms, 6ms])')).toBeCloseTo(0.003, 15);
  });

  it('gives the mean rank of a zipf over its n ranks', () => {
    // s = 1, n = 2: ranks 1 and 2 with weights 1 and ½ → (1 + 1) / 1.5.
    expect(distMean({ kind: 'zipf', s: 1, n: 2 })).toBeCloseTo(4 / 3, 15);
    expect(distMean({ kind: 'zipf', s: 1, n: 0 })).toBeNaN();
  });
});
