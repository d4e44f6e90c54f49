/**
 * Distribution specs: what a scenario's `exp(1ms)` or `lognormal(median: 2ms, p99: 12ms)` means,
 * resolved to plain numbers (seconds for times) at load time. Sampling lives in `sim/kernel/`.
 */

/** A parsed distribution. Time-valued parameters are in seconds. */
export type DistSpec =
  | { kind: 'const'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exp'; mean: number }
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; mu: number; sigma: number }
  | { kind: 'gamma'; shape: number; scale: number }
  | { kind: 'weibull'; shape: number; scale: number }
  | { kind: 'pareto'; scale: number; shape: number }
  | { kind: 'zipf'; s: number; n: number }
  | { kind: 'empirical'; values: number[] };
