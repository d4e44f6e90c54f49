/**
 * The normal distribution's inverse CDF and the lognormal parameters a scenario's
 * `lognormal(median, p99)` resolves to.
 */
import { positive, Z_99 } from './dist-check.js';
import { regularizedGamma } from './special.js';

/**
 * The lognormal parameters whose median and 99th percentile are the given ones: mu = ln(median),
 * sigma = (ln(p99) - mu) / Φ⁻¹(0.99). This is how a scenario's `lognormal(median: 2ms, p99: 12ms)` resolves.
 *
 * @throws Error unless 0 < median < p99 (both finite).
 */
export function lognormalFromMedianP99(median: number, p99: number): { mu: number; sigma: number } {
  if (!positive(median) || !positive(p99) || p99 <= median) {
    throw new Error(
      `lognormal: need 0 < median < p99, both finite (got median ${median}, p99 ${p99}); ` +
        'a p99 at or below the median has no lognormal shape',
    );
  }
  const mu = Math.log(median);
  return { mu, sigma: (Math.log(p99) - mu) / Z_99 };
}

/**
 * Φ⁻¹(p), the standard normal quantile: Peter Acklam's rational approximation (relative error below
 * 1.15e-9), polished by one Halley step against an accurate Φ, which brings it to about 1e-15. Returns
 * -Infinity at 0 and Infinity at 1.
 *
 * @throws Error if p is not in [0, 1].
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`inverseNormalCdf: p must be in [0, 1] (got ${p})`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  // Solve in the lower half only: there Φ(x) is computed without cancellation, and 1 - p is exact for p > 0.5.
  if (p > 0.5) return -inverseNormalCdf(1 - p);
  if (p === 0.5) return 0;
  let x: number;
  if (p < P_LOW) {
    x = tailNormal(Math.sqrt(-2 * Math.log(p)));
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // Halley refinement (Acklam's own suggestion); Φ(x) = Q(1/2, x²/2) / 2 for x <= 0.
  const e = 0.5 * regularizedGamma(0.5, (x * x) / 2, true) - p;
  const u = e * SQRT_TWO_PI * Math.exp((x * x) / 2);
  // For p near the smallest doubles exp(x²/2) overflows; Acklam's value is then kept as is.
  return Number.isFinite(u) ? x - u / (1 + (x * u) / 2) : x;
}

const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const P_LOW = 0.02425;
const A = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 1.38357751867269e2, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -7.784894002430293e-3, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Acklam's lower-tail branch, with q = sqrt(-2 ln p). */
function tailNormal(q: number): number {
  return (
    (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
    ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1)
  );
}
