/**
 * Parameter checks shared by the samplers and the closed forms: a spec that would make a formula
 * meaningless fails loudly, naming its kind.
 */
import type { DistSpec } from './dist-spec.js';

/** Φ⁻¹(0.99): how many standard deviations above the mean the 99th percentile of a normal sits. */
export const Z_99 = 2.3263478740408408;

export function fail(spec: DistSpec, message: string): never {
  throw new Error(`${spec.kind} distribution: ${message} (spec: ${JSON.stringify(spec)})`);
}

export function finite(x: number): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

export function positive(x: number): boolean {
  return finite(x) && x > 0;
}

/** Throws a readable error for parameters that would make sampling or the formulas meaningless. */
export function validate(spec: DistSpec): void {
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

export function unknownKind(spec: never): never {
  throw new Error(`unknown distribution kind: ${JSON.stringify(spec)}`);
}
