/**
 * `normal(mean, sd)` as the simulator draws it: a draw below 0 becomes 0 (a service time cannot
 * be negative), so the simulated mean is E[max(0, X)] = μΦ(μ/σ) + σφ(μ/σ), not μ. With
 * `normal(mean: 1s, sd: 2s)` 30.9 % of draws are clamped and the mean is 1.40 s.
 */
import type { DistSpec } from '../math/dist-spec.js';
import { distMean } from '../math/moments.js';

const density = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);

/** Φ(x), by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const tail = (poly * Math.exp(-z * z)) / 2;
  return x >= 0 ? 1 - tail : tail;
}

/** The share of draws below 0 and the mean after clamping them to 0. */
export function clampedNormal(mean: number, sd: number): { below: number; mean: number } {
  if (!(sd > 0)) return { below: mean < 0 ? 1 : 0, mean: Math.max(0, mean) };
  const k = mean / sd;
  return { below: normalCdf(-k), mean: mean * normalCdf(k) + sd * density(k) };
}

/** The mean of a service time as simulated: {@link distMean}, with normal's clamping at 0. */
export function simulatedMean(spec: DistSpec): number {
  return spec.kind === 'normal' ? clampedNormal(spec.mean, spec.sd).mean : distMean(spec);
}
