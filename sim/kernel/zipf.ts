/**
 * Zipf sampling in O(1) memory and O(1) expected time per draw, for any number of ranks.
 */
import type { Rng } from './random.js';

/** Below this |x| the Taylor series is more accurate than log1p(x)/x or expm1(x)/x. */
const TAYLOR_THRESHOLD = 1e-8;

/** log1p(x) / x, continuous at x = 0; keeps the hat integral well defined as s → 1. */
function helper1(x: number): number {
  if (Math.abs(x) > TAYLOR_THRESHOLD) return Math.log1p(x) / x;
  return 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x) / x, continuous at x = 0; keeps the hat integral well defined as s → 1. */
function helper2(x: number): number {
  if (Math.abs(x) > TAYLOR_THRESHOLD) return Math.expm1(x) / x;
  return 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

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

/** Below this many terms the generalized harmonic number is summed directly. */
const DIRECT_TERMS = 256;

/**
 * The generalized harmonic number H(n, s) = sum of k^-s for k = 1..n (the Zipf normalising constant);
 * s may be any finite number, including negative ones (which give the raw moments of a Zipf law).
 *
 * Exact summation up to 256 terms; beyond, the first 255 terms are summed and the rest is taken from the
 * Euler–Maclaurin formula with three Bernoulli corrections, whose remainder at a = 256 is far below double
 * precision. Constant time whatever n, so it serves n = 1e7 or 1e12 alike.
 */
export function zipfHarmonic(n: number, s: number): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`zipfHarmonic: n must be a non-negative integer (got ${n})`);
  }
  if (!Number.isFinite(s)) throw new Error(`zipfHarmonic: s must be finite (got ${s})`);
  if (n <= DIRECT_TERMS) return directHarmonic(n, s);
  const a = DIRECT_TERMS;
  const f = (x: number): number => x ** -s;
  // m-th derivative of x^-s is (-1)^m s(s+1)...(s+m-1) x^(-s-m).
  const d1 = (x: number): number => -s * x ** (-s - 1);
  const d3 = (x: number): number => -s * (s + 1) * (s + 2) * x ** (-s - 3);
  const d5 = (x: number): number => -s * (s + 1) * (s + 2) * (s + 3) * (s + 4) * x ** (-s - 5);
  // Integral of x^-s from a to n, written so that it stays accurate as s → 1.
  const logRatio = Math.log(n / a);
  const integral = a ** (1 - s) * helper2((1 - s) * logRatio) * logRatio;
  const tail =
    integral + (f(a) + f(n)) / 2 + (d1(n) - d1(a)) / 12 - (d3(n) - d3(a)) / 720 + (d5(n) - d5(a)) / 30240;
  return directHarmonic(a - 1, s) + tail;
}

function directHarmonic(n: number, s: number): number {
  // Smallest terms first, to lose less to rounding.
  let sum = 0;
  for (let k = n; k >= 1; k--) sum += k ** -s;
  return sum;
}
