/**
 * Closed-form moments and quantiles of distribution specs: what sampled statistics are tested
 * against, and what the static capacity check uses.
 */

import { unknownKind, validate } from './dist-check.js';
import type { DistSpec } from './dist-spec.js';
import { zipfHarmonic } from './harmonic.js';
import { inverseNormalCdf } from './normal.js';
import { gammaFn, logGamma, regularizedGamma } from './special.js';

/** The expected value of `spec`; Infinity for a Pareto with shape <= 1. */
export function distMean(spec: DistSpec): number {
  validate(spec);
  switch (spec.kind) {
    case 'const':
      return spec.value;
    case 'uniform':
      return (spec.min + spec.max) / 2;
    case 'exp':
      return spec.mean;
    case 'normal':
      return spec.mean;
    case 'lognormal':
      return Math.exp(spec.mu + (spec.sigma * spec.sigma) / 2);
    case 'gamma':
      return spec.shape * spec.scale;
    case 'weibull':
      return spec.scale * gammaFn(1 + 1 / spec.shape);
    case 'pareto':
      return spec.shape <= 1 ? Number.POSITIVE_INFINITY : (spec.shape * spec.scale) / (spec.shape - 1);
    case 'zipf':
      return zipfHarmonic(spec.n, spec.s - 1) / zipfHarmonic(spec.n, spec.s);
    case 'empirical':
      return arrayMean(spec.values);
    default:
      return unknownKind(spec);
  }
}

/**
 * The variance of `spec`; Infinity where it does not exist (Pareto with shape <= 2). For `empirical` it is
 * the population variance of the values, which is the variance of what `sampler` draws.
 */
export function distVariance(spec: DistSpec): number {
  validate(spec);
  switch (spec.kind) {
    case 'const':
      return 0;
    case 'uniform': {
      const w = spec.max - spec.min;
      return (w * w) / 12;
    }
    case 'exp':
      return spec.mean * spec.mean;
    case 'normal':
      return spec.sd * spec.sd;
    case 'lognormal': {
      const s2 = spec.sigma * spec.sigma;
      return Math.expm1(s2) * Math.exp(2 * spec.mu + s2);
    }
    case 'gamma':
      return spec.shape * spec.scale * spec.scale;
    case 'weibull': {
      const g1 = gammaFn(1 + 1 / spec.shape);
      const g2 = gammaFn(1 + 2 / spec.shape);
      return spec.scale * spec.scale * (g2 - g1 * g1);
    }
    case 'pareto': {
      const a = spec.shape;
      if (a <= 2) return Number.POSITIVE_INFINITY;
      return (spec.scale * spec.scale * a) / ((a - 1) * (a - 1) * (a - 2));
    }
    case 'zipf': {
      const h = zipfHarmonic(spec.n, spec.s);
      const mean = zipfHarmonic(spec.n, spec.s - 1) / h;
      return Math.max(0, zipfHarmonic(spec.n, spec.s - 2) / h - mean * mean);
    }
    case 'empirical': {
      const mean = arrayMean(spec.values);
      let sum = 0;
      for (const v of spec.values) sum += (v - mean) * (v - mean);
      return sum / spec.values.length;
    }
    default:
      return unknownKind(spec);
  }
}

/**
 * The p-quantile of `spec`: the smallest x with P(X <= x) >= p, for p in [0, 1]. p = 1 gives Infinity for
 * unbounded distributions.
 *
 * Closed forms where they exist; `normal` and `lognormal` go through `inverseNormalCdf` (relative error
 * about 1e-15); `gamma` inverts the regularised incomplete gamma function numerically (about 1e-12);
 * `empirical` uses the nearest-rank method on the sorted values (so p = 0.5 of [1, 2, 3, 4] is 2);
 * `zipf` binary-searches the exact CDF H(k, s) / H(n, s) (O(log n) harmonic evaluations, each O(1)).
 *
 * @throws Error if p is outside [0, 1] or the spec is invalid.
 */
export function distQuantile(spec: DistSpec, p: number): number {
  validate(spec);
  if (!(p >= 0 && p <= 1)) throw new Error(`distQuantile: p must be in [0, 1] (got ${p})`);
  switch (spec.kind) {
    case 'const':
      return spec.value;
    case 'uniform':
      return spec.min + p * (spec.max - spec.min);
    case 'exp':
      return -spec.mean * Math.log1p(-p);
    case 'normal':
      if (spec.sd === 0) return spec.mean;
      return spec.mean + spec.sd * inverseNormalCdf(p);
    case 'lognormal':
      if (spec.sigma === 0) return Math.exp(spec.mu);
      return Math.exp(spec.mu + spec.sigma * inverseNormalCdf(p));
    case 'gamma':
      return spec.scale * gammaQuantile(spec.shape, p);
    case 'weibull':
      return spec.scale * (-Math.log1p(-p)) ** (1 / spec.shape);
    case 'pareto':
      return spec.scale * (1 - p) ** (-1 / spec.shape);
    case 'zipf':
      return zipfQuantile(spec.n, spec.s, p);
    case 'empirical': {
      const sorted = Float64Array.from(spec.values).sort();
      const rank = Math.ceil(p * sorted.length);
      return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
    default:
      return unknownKind(spec);
  }
}

function zipfQuantile(n: number, s: number, p: number): number {
  if (p === 0) return 1;
  const total = zipfHarmonic(n, s);
  const target = p * total;
  // Smallest k with H(k, s) >= p H(n, s).
  let lo = 1;
  let hi = n;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (zipfHarmonic(mid, s) >= target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function arrayMean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * The p-quantile of Gamma(shape, 1): Newton's method on P(shape, x) = p from the Wilson–Hilferty guess,
 * falling back to bisection whenever a Newton step leaves the bracket known to hold the root.
 */
function gammaQuantile(a: number, p: number): number {
  if (p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const logGammaA = logGamma(a);
  const z = inverseNormalCdf(p);
  const wh = a * (1 - 1 / (9 * a) + z / (3 * Math.sqrt(a))) ** 3;
  // For small shape or small p Wilson–Hilferty undershoots to <= 0; P(a, x) ≈ x^a / Γ(a + 1) there.
  let x = wh > 0 ? wh : Math.exp((Math.log(p) + logGamma(a + 1)) / a);
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  // Work in the tail that p is in: near p = 1, P(a, x) - p would lose the digits of 1 - p to cancellation.
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  for (let i = 0; i < 200; i++) {
    // err has the sign of P(a, x) - p in both cases.
    const err = upper ? target - regularizedGamma(a, x, true) : regularizedGamma(a, x, false) - target;
    if (err < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) - x - logGammaA);
    let next = x - err / density;
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * x, 1);
    if (Math.abs(next - x) <= 1e-14 * x) return next;
    x = next;
  }
  return x;
}
