/**
 * The mean of a distribution spec, for static checks (offered load) that need no sampling.
 */
import type { DistSpec } from './distribution.js';

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; about 15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The mean of `d`: `Infinity` for a Pareto with shape ≤ 1, and for a zipf the mean rank over
 * `1..n` (`NaN` when `n` is left to the context).
 */
export function distMean(d: DistSpec): number {
  switch (d.kind) {
    case 'const':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exp':
      return d.mean;
    case 'normal':
      // Samplers truncate at zero; for the sd-to-mean ratios used in practice this is the mean.
      return d.mean;
    case 'lognormal':
      return Math.exp(d.mu + (d.sigma * d.sigma) / 2);
    case 'gamma':
      return d.shape * d.scale;
    case 'weibull':
      return d.scale * Math.exp(logGamma(1 + 1 / d.shape));
    case 'pareto':
      return d.shape > 1 ? (d.shape * d.scale) / (d.shape - 1) : Number.POSITIVE_INFINITY;
    case 'zipf': {
      if (!(d.n >= 1)) return Number.NaN;
      let num = 0;
      let den = 0;
      // Bounded work: only the first 1e6 ranks count (their share of the mean dominates for s > 1).
      const n = Math.min(d.n, 1e6);
      for (let k = 1; k <= n; k++) {
        const w = k ** -d.s;
        num += k * w;
        den += w;
      }
      return num / den;
    }
    case 'empirical': {
      let sum = 0;
      for (const v of d.values) sum += v;
      return sum / d.values.length;
    }
  }
}
