/**
 * The parsed form of a scenario's distribution (`exp(1ms)` → `{ kind: 'exp', mean: 0.001 }`): the
 * one shape the parser (`scenarios/distribution.ts`), the samplers (`sim/kernel/`) and the closed
 * forms (`math/moments.ts`) share.
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
