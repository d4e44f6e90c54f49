/**
 * Fitting a service-time distribution to measured self times: a lognormal by maximum likelihood
 * (mean and standard deviation of the logs), judged by its Kolmogorov–Smirnov distance to the data;
 * when the lognormal fits badly, the data's own quantiles (an empirical distribution) instead.
 */
import type { DistSpec } from '../../math/dist-spec.js';

/** z of the 99th percentile of the standard normal. */
export const Z99 = 2.3263478740408408;

/** A fitted service time. */
export interface Fit {
  n: number;
  /** `lognormal` when its KS distance is at most the threshold, else `empirical`. */
  kind: 'lognormal' | 'empirical';
  /** Median and p99 in seconds: the lognormal's, or the data's for `empirical`. */
  median: number;
  p99: number;
  /** Lognormal parameters (always fitted, for the goodness-of-fit line). */
  mu: number;
  sigma: number;
  /** KS distance between the data and the fitted lognormal. */
  ks: number;
  /**
   * For `empirical`: the data's quantiles at i/count, i = 1…count, seconds. A run draws one of them
   * uniformly, so its p50 and p99 are exactly the data's (quantile 50 and 99 of 100).
   */
  quantiles?: number[];
}

/** KS distance above which the lognormal is replaced by the data's quantiles. */
export const KS_LIMIT = 0.05;

/** Fits `xs` (seconds, all > 0; sorted in place). */
export function fitServiceTime(xs: number[], opts: { ksLimit?: number; quantiles?: number } = {}): Fit {
  const n = xs.length;
  // A typed array sorts numerically without a comparator call per comparison (1 M: 0.1 s, not 0.5).
  const sorted = Float64Array.from(xs).sort();
  for (let i = 0; i < n; i++) xs[i] = sorted[i];
  let sum = 0;
  for (const x of xs) sum += Math.log(x);
  const mu = sum / n;
  let ss = 0;
  for (const x of xs) ss += (Math.log(x) - mu) ** 2;
  const sigma = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  let ks = 0;
  for (let i = 0; i < n; i++) {
    const f = sigma > 0 ? phi((Math.log(xs[i]) - mu) / sigma) : xs[i] >= Math.exp(mu) ? 1 : 0;
    ks = Math.max(ks, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  const fit: Fit = {
    n,
    kind: 'lognormal',
    median: Math.exp(mu),
    p99: Math.exp(mu + Z99 * sigma),
    mu,
    sigma,
    ks,
  };
  if (ks > (opts.ksLimit ?? KS_LIMIT)) {
    const q = opts.quantiles ?? 100;
    fit.kind = 'empirical';
    fit.quantiles = Array.from({ length: q }, (_, i) => quantile(xs, (i + 1) / q));
    fit.median = quantile(xs, 0.5);
    fit.p99 = quantile(xs, 0.99);
  }
  return fit;
}

/** The distribution a fit stands for: its lognormal, or its quantiles drawn uniformly. */
export function fitSpec(fit: Fit): DistSpec {
  return fit.kind === 'empirical' && fit.quantiles
    ? { kind: 'empirical', values: fit.quantiles }
    : { kind: 'lognormal', mu: fit.mu, sigma: fit.sigma };
}

/** The p-quantile of sorted `xs`, linear between order statistics. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Standard normal CDF (error below 1e-7, ample for a KS distance). */
export function phi(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Complementary error function, |error| < 1.2e-7 (Numerical Recipes' erfcc, Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
