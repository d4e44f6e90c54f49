/**
 * The generalized harmonic number (the Zipf normalising constant) and the two numerically careful
 * helpers the Zipf sampler shares with it. Pure math on a spec's parameters, so it lives beside the
 * specs and serves both the closed forms (math/moments.ts) and the sampler (sim/kernel/zipf.ts).
 */

/** Below this |x| the Taylor series is more accurate than log1p(x)/x or expm1(x)/x. */
const TAYLOR_THRESHOLD = 1e-8;

/** log1p(x) / x, continuous at x = 0; keeps the hat integral well defined as s → 1. */
export function helper1(x: number): number {
  if (Math.abs(x) > TAYLOR_THRESHOLD) return Math.log1p(x) / x;
  return 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** expm1(x) / x, continuous at x = 0; keeps the hat integral well defined as s → 1. */
export function helper2(x: number): number {
  if (Math.abs(x) > TAYLOR_THRESHOLD) return Math.expm1(x) / x;
  return 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
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
