/**
 * Sampling and closed-form moments/quantiles for the scenario's distribution specs.
 *
 * Samplers are built once per component: `sampler` validates the spec and switches on its kind a single
 * time, returning a specialised closure that allocates nothing per draw.
 */
import type { DistSpec } from '../../scenarios/distribution.js';
import type { Rng } from './random.js';
import { zipfHarmonic, zipfSampler } from './zipf.js';

/** Φ⁻¹(0.99): how many standard deviations above the mean the 99th percentile of a normal sits. */
const Z_99 = 2.3263478740408408;

function fail(spec: DistSpec, message: string): never {
  throw new Error(`${spec.kind} distribution: ${message} (spec: ${JSON.stringify(spec)})`);
}

function finite(x: number): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

function positive(x: number): boolean {
  return finite(x) && x > 0;
}

/** Throws a readable error for parameters that would make sampling or the formulas meaningless. */
function validate(spec: DistSpec): void {
  switch (spec.kind) {
    case 'const':
      if (!finite(spec.value)) fail(spec, 'value must be finite');
      return;
    case 'uniform':
      if (!finite(spec.min) || !finite(spec.max) || spec.min > spec.max) {
        fail(spec, 'min and max must be finite with min <= max');
      }
      return;
    case 'exp':
      if (!positive(spec.mean)) fail(spec, 'mean must be > 0');
      return;
    case 'normal':
      if (!finite(spec.mean) || !finite(spec.sd) || spec.sd < 0) fail(spec, 'mean must be finite, sd >= 0');
      return;
    case 'lognormal':
      if (!finite(spec.mu) || !finite(spec.sigma) || spec.sigma < 0) {
        fail(spec, 'mu must be finite, sigma >= 0');
      }
      return;
    case 'gamma':
    case 'weibull':
    case 'pareto':
      if (!positive(spec.shape) || !positive(spec.scale)) fail(spec, 'shape and scale must be > 0');
      return;
    case 'zipf':
      if (!Number.isSafeInteger(spec.n) || spec.n < 1) fail(spec, 'n must be an integer >= 1');
      if (!finite(spec.s) || spec.s < 0) fail(spec, 's must be >= 0');
      return;
    case 'empirical':
      if (!Array.isArray(spec.values) || spec.values.length === 0) fail(spec, 'values must not be empty');
      if (!spec.values.every(finite)) fail(spec, 'values must all be finite');
      return;
    default:
      unknownKind(spec);
  }
}

function unknownKind(spec: never): never {
  throw new Error(`unknown distribution kind: ${JSON.stringify(spec)}`);
}

/**
 * Standard normal draws by Marsaglia's polar method; each accepted pair yields two variates, so the spare
 * one is cached for the next call instead of being thrown away.
 */
function standardNormal(rng: Rng): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    let u: number;
    let v: number;
    let q: number;
    do {
      u = 2 * rng() - 1;
      v = 2 * rng() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    spare = v * f;
    hasSpare = true;
    return u * f;
  };
}

/**
 * Gamma draws by Marsaglia & Tsang (2000). Their squeeze needs shape >= 1; for shape < 1 a Gamma(shape + 1)
 * draw is multiplied by U^(1/shape), which is Gamma(shape) distributed.
 */
function gammaSampler(shape: number, scale: number, rng: Rng): () => number {
  const z = standardNormal(rng);
  const boost = shape < 1;
  const d = (boost ? shape + 1 : shape) - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  const scaleD = scale * d;
  const invShape = 1 / shape;
  return () => {
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = z();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = rng();
      const x2 = x * x;
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
        // 1 - rng() is in (0, 1], so the boost never multiplies by exactly 0.
        return boost ? scaleD * v * (1 - rng()) ** invShape : scaleD * v;
      }
    }
  };
}

/**
 * A sampler for `spec`: a closure returning one draw per call, consuming uniforms from `rng`.
 *
 * - `exp`, `weibull`, `pareto`: inverse transform on 1 - U (in (0, 1], so log and negative powers stay
 *   finite).
 * - `normal`: Marsaglia polar method, caching the spare variate; draws can be negative.
 * - `lognormal`: exp(mu + sigma N).
 * - `gamma`: Marsaglia–Tsang, boosted for shape < 1.
 * - `zipf`: rank in 1..n by rejection-inversion (see `zipfSampler`).
 * - `empirical`: one of the given values, each position equally likely (duplicates thus weigh more); no
 *   interpolation between values. The values are copied, so later edits to the spec do not leak in.
 *
 * @throws Error if the spec's parameters are invalid (e.g. a non-positive mean or an empty value list).
 */
export function sampler(spec: DistSpec, rng: Rng): () => number {
  validate(spec);
  switch (spec.kind) {
    case 'const': {
      const value = spec.value;
      return () => value;
    }
    case 'uniform': {
      const min = spec.min;
      const width = spec.max - spec.min;
      return () => min + width * rng();
    }
    case 'exp': {
      const mean = spec.mean;
      return () => -mean * Math.log(1 - rng());
    }
    case 'normal': {
      const { mean, sd } = spec;
      const z = standardNormal(rng);
      return () => mean + sd * z();
    }
    case 'lognormal': {
      const { mu, sigma } = spec;
      const z = standardNormal(rng);
      return () => Math.exp(mu + sigma * z());
    }
    case 'gamma':
      return gammaSampler(spec.shape, spec.scale, rng);
    case 'weibull': {
      const scale = spec.scale;
      const invShape = 1 / spec.shape;
      return () => scale * (-Math.log(1 - rng())) ** invShape;
    }
    case 'pareto': {
      const scale = spec.scale;
      const negInvShape = -1 / spec.shape;
      return () => scale * (1 - rng()) ** negInvShape;
    }
    case 'zipf':
      return zipfSampler(spec.n, spec.s, rng);
    case 'empirical': {
      const values = Float64Array.from(spec.values);
      const count = values.length;
      return () => values[Math.floor(rng() * count)];
    }
    default:
      return unknownKind(spec);
  }
}

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

/**
 * `spec` with every time multiplied by `factor` (for faults that make a component slower or faster): the
 * result is the distribution of factor × X.
 *
 * @throws Error if factor is not a finite number > 0, or for `zipf`, whose ranks are not times.
 */
export function scaleDist(spec: DistSpec, factor: number): DistSpec {
  validate(spec);
  if (!positive(factor)) throw new Error(`scaleDist: factor must be a finite number > 0 (got ${factor})`);
  switch (spec.kind) {
    case 'const':
      return { kind: 'const', value: spec.value * factor };
    case 'uniform':
      return { kind: 'uniform', min: spec.min * factor, max: spec.max * factor };
    case 'exp':
      return { kind: 'exp', mean: spec.mean * factor };
    case 'normal':
      return { kind: 'normal', mean: spec.mean * factor, sd: spec.sd * factor };
    case 'lognormal':
      return { kind: 'lognormal', mu: spec.mu + Math.log(factor), sigma: spec.sigma };
    case 'gamma':
      return { kind: 'gamma', shape: spec.shape, scale: spec.scale * factor };
    case 'weibull':
      return { kind: 'weibull', shape: spec.shape, scale: spec.scale * factor };
    case 'pareto':
      return { kind: 'pareto', scale: spec.scale * factor, shape: spec.shape };
    case 'zipf':
      throw new Error('scaleDist: a zipf distribution gives ranks, not times, and cannot be scaled');
    case 'empirical':
      return { kind: 'empirical', values: spec.values.map((v) => v * factor) };
    default:
      return unknownKind(spec);
  }
}

function arrayMean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

// Lanczos approximation (g = 7, 9 terms): relative error around 1e-15 for positive arguments.
const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0. */
function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the Lanczos sum in its accurate range.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + LANCZOS_G + 0.5;
  return HALF_LOG_TWO_PI + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

function gammaFn(x: number): number {
  return Math.exp(logGamma(x));
}

/**
 * Regularised incomplete gamma: P(a, x) if `upper` is false, Q(a, x) = 1 - P(a, x) if true. The series
 * (below x = a + 1) yields P and the Lentz continued fraction (above) yields Q directly; the other one is
 * taken as the complement, so whichever is small is computed without cancellation when asked for.
 */
function regularizedGamma(a: number, x: number, upper: boolean): number {
  if (x <= 0) return upper ? 1 : 0;
  if (!Number.isFinite(x)) return upper ? 0 : 1;
  const prefix = Math.exp(a * Math.log(x) - x - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    const lower = Math.min(1, sum * prefix);
    return upper ? 1 - lower : lower;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let frac = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    frac *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const q = Math.min(1, prefix * frac);
  return upper ? q : 1 - q;
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
