/**
 * Zipf sampling in O(1) memory and O(1) expected time per draw, for any number of ranks.
 */
import { helper1, helper2 } from '../../math/harmonic.js';
import type { Rng } from './random.js';

export { zipfHarmonic } from '../../math/harmonic.js';

function checkZipf(n: number, s: number): void {
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`zipf: n must be an integer between 1 and 2^53 - 1 (got ${n})`);
  }
  if (!Number.isFinite(s) || s < 0) {
    throw new Error(`zipf: s must be a finite number >= 0 (got ${s})`);
  }
}

/**
 * A sampler of Zipf ranks: returns k in 1..n with probability k^-s / H(n, s).
 *
 * Rejection-inversion (Hörmann & Derflinger 1996, algorithm ZRI) as adapted by Apache Commons RNG's
 * `RejectionInversionZipfSampler`: the hat integral is taken as ((x^(1-s) - 1) / (1 - s)), which has a
 * finite limit at s = 1, so any s >= 0 works (s = 0 is uniform). No table is built, so n can be as large
 * as 2^53 - 1; the expected number of uniforms per draw is a little above 1.
 *
 * @param n number of ranks (integer >= 1).
 * @param s exponent (>= 0).
 * @param rng uniform source.
 */
export function zipfSampler(n: number, s: number, rng: Rng): () => number {
  checkZipf(n, s);
  const oneMinusS = 1 - s;

  const hIntegral = (x: number): number => {
    const logX = Math.log(x);
    return helper2(oneMinusS * logX) * logX;
  };
  const h = (x: number): number => Math.exp(-s * Math.log(x));
  const hIntegralInverse = (x: number): number => {
    let t = x * oneMinusS;
    // Rounding can push t just below -1, where log1p is undefined; -1 is the true bound.
    if (t < -1) t = -1;
    return Math.exp(helper1(t) * x);
  };

  const hIntegralX1 = hIntegral(1.5) - 1;
  const hIntegralN = hIntegral(n + 0.5);
  const width = hIntegralX1 - hIntegralN;
  // Acceptance shortcut: when k - x <= cut, the full test below is known to pass (Theorem 2 of the paper).
  const cut = 2 - hIntegralInverse(hIntegral(2.5) - h(2));

  return () => {
    for (;;) {
      // rng() is in [0, 1), so u is in (hIntegralX1, hIntegralN].
      const u = hIntegralN + rng() * width;
      const x = hIntegralInverse(u);
      let k = Math.floor(x + 0.5);
      // Rounding near the ends can land just outside the support.
      if (k < 1) k = 1;
      else if (k > n) k = n;
      if (k - x <= cut || u >= hIntegral(k + 0.5) - h(k)) return k;
    }
  };
}
