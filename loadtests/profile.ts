/**
 * Load profiles: the phases (hold, ramp, spike) a run offers, what the simulation's arrivals mean
 * as one, and the arrival times they give. Pure functions of the phases and a seeded stream.
 */

import type { Scenario } from '../scenarios/schema.js';
import type { Rng } from '../sim/kernel/random.js';
import type { ProfilePhase } from './shape.js';

/** What the simulation's arrivals mean as a load profile (open processes only). */
export function profileFromArrivals(s: Pick<Scenario, 'users' | 'duration'>): ProfilePhase[] {
  const a = s.users.arrivals;
  const d = s.duration;
  switch (a.kind) {
    case 'poisson':
      return [{ kind: 'hold', rate: a.rate ?? 0, for: d }];
    case 'ramp':
      return [
        { kind: 'ramp', from: a.from ?? 0, to: a.to ?? 0, over: a.over ?? 0 },
        { kind: 'hold', rate: a.to ?? 0, for: Math.max(0, d - (a.over ?? 0)) },
      ];
    case 'spike': {
      const at = a.at ?? 0;
      const len = a.for ?? 0;
      return [
        { kind: 'hold', rate: a.base ?? 0, for: at },
        { kind: 'spike', rate: a.peak ?? 0, for: len },
        { kind: 'hold', rate: a.base ?? 0, for: Math.max(0, d - at - len) },
      ].filter((p) => p.for > 0) as ProfilePhase[];
    }
    case 'diurnal':
      return diurnalProfile(
        (a as { mean?: number }).mean ?? 0,
        (a as { amplitude?: number }).amplitude ?? 0,
        (a as { period?: number }).period ?? 86_400,
        d,
      );
    default:
      return [];
  }
}

/** Ramps per period of a diurnal wave: chords of the sine deviate from it by at most 1 - cos(π/48) ≈ 0.2 %. */
const DIURNAL_SEGMENTS = 48;

/**
 * The simulation's diurnal rate `mean·(1 + amplitude·sin(2πt/period))`, clamped at 0, as ramps
 * between points `period/48` apart over `duration` (the load plan used to hold the mean instead).
 */
export function diurnalProfile(
  mean: number,
  amplitude: number,
  period: number,
  duration: number,
): ProfilePhase[] {
  const rate = (t: number) => Math.max(0, mean * (1 + amplitude * Math.sin((2 * Math.PI * t) / period)));
  const step = period / DIURNAL_SEGMENTS;
  const out: ProfilePhase[] = [];
  for (let t = 0; t < duration - 1e-9; t += step) {
    const over = Math.min(step, duration - t);
    out.push({ kind: 'ramp', from: rate(t), to: rate(t + over), over });
  }
  return out;
}

/** The highest offered rate of a profile (per second): the one peak every driver sizes for. */
export function peakRate(phases: readonly ProfilePhase[]): number {
  let peak = 0;
  for (const p of phases) peak = Math.max(peak, p.kind === 'ramp' ? Math.max(p.from, p.to) : p.rate);
  return peak;
}

/** Seconds a phase lasts. */
export function phaseLength(p: ProfilePhase): number {
  return p.kind === 'ramp' ? p.over : p.for;
}

/** Seconds the whole profile lasts. */
export function profileLength(phases: readonly ProfilePhase[]): number {
  return phases.reduce((a, p) => a + phaseLength(p), 0);
}

/** The profile cut at `seconds`. */
export function truncate(phases: readonly ProfilePhase[], seconds: number): ProfilePhase[] {
  const out: ProfilePhase[] = [];
  let left = seconds;
  for (const p of phases) {
    if (left <= 0) break;
    const len = phaseLength(p);
    if (len <= left) out.push(p);
    else if (p.kind === 'ramp')
      out.push({ ...p, over: left, to: p.from + ((p.to - p.from) * left) / p.over });
    else out.push({ ...p, for: left });
    left -= len;
  }
  return out;
}

/**
 * The profile made exactly `seconds` long: cut when longer, and when shorter its last rate is held
 * for the rest (so `--duration` means how long to load, whatever the profile says).
 */
export function fitProfile(phases: readonly ProfilePhase[], seconds: number): ProfilePhase[] {
  const len = profileLength(phases);
  if (len >= seconds || phases.length === 0) return truncate(phases, seconds);
  const last = phases[phases.length - 1];
  const rate = last.kind === 'ramp' ? last.to : last.rate;
  return [...phases, { kind: 'hold', rate, for: seconds - len }];
}

/** The offered rate (per second) at time `t`. */
export function rateAt(phases: readonly ProfilePhase[], t: number): number {
  let start = 0;
  for (const p of phases) {
    const len = phaseLength(p);
    if (t < start + len) {
      if (p.kind === 'ramp') return p.from + ((p.to - p.from) * (t - start)) / p.over;
      return p.rate;
    }
    start += len;
  }
  return 0;
}

/** Expected number of arrivals over the profile (its integral). */
export function expectedArrivals(phases: readonly ProfilePhase[]): number {
  return phases.reduce(
    (a, p) => a + (p.kind === 'ramp' ? ((p.from + p.to) / 2) * p.over : p.rate * p.for),
    0,
  );
}

/**
 * Intended start times in seconds: the n-th arrival is where the cumulative rate Λ(t) reaches the
 * n-th target (n - 1/2 for uniform spacing, a sum of unit exponentials for Poisson), so the same
 * inversion serves constant, ramped and spiked phases.
 */
export function* arrivalTimes(
  phases: readonly ProfilePhase[],
  spacing: 'uniform' | 'poisson',
  rng: Rng,
): Generator<number, void, void> {
  let target = spacing === 'uniform' ? 0.5 : -Math.log(1 - rng());
  let start = 0;
  let done = 0; // Λ at the start of the current phase
  for (const p of phases) {
    const len = phaseLength(p);
    const r0 = p.kind === 'ramp' ? p.from : p.rate;
    const r1 = p.kind === 'ramp' ? p.to : p.rate;
    const total = ((r0 + r1) / 2) * len;
    while (target - done <= total && len > 0) {
      const need = target - done;
      // Solve r0 τ + (r1 - r0) τ² / (2 len) = need for τ in [0, len].
      const a = (r1 - r0) / (2 * len);
      let tau: number;
      if (Math.abs(a) < 1e-12) tau = r0 > 0 ? need / r0 : len;
      else tau = (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * need))) / (2 * a);
      yield start + Math.min(len, Math.max(0, tau));
      target += spacing === 'uniform' ? 1 : -Math.log(1 - rng());
    }
    done += total;
    start += len;
  }
}
