/**
 * Sampling and closed-form moments/quantiles for the scenario's distribution specs.
 *
 * Samplers are built once per component: `sampler` validates the spec and switches on its kind a single
 * time, returning a specialised closure that allocates nothing per draw.
 */

import { positive, unknownKind, validate } from '../../math/dist-check.js';
import type { DistSpec } from '../../math/dist-spec.js';
import type { Rng } from './random.js';
import { zipfSampler } from './zipf.js';

export { distMean, distQuantile, distVariance } from '../../math/moments.js';
export { inverseNormalCdf, lognormalFromMedianP99 } from '../../math/normal.js';

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
