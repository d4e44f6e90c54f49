/**
 * Closed forms of queueing theory: what the simulator is validated against, and the analytic first
 * estimate capacity planning shows beside a simulated answer. Times in seconds.
 */

/** Erlang-C: probability an arrival waits in M/M/c with offered load `a = λ/μ` (requires a < c). */
export function erlangC(c: number, a: number): number {
  if (a >= c) return 1;
  // Erlang-B by its stable recursion, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const rho = a / c;
  return b / (1 - rho + rho * b);
}

/** Mean response time W of M/M/c. */
export function mmcResponse(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  if (a >= c) return Number.POSITIVE_INFINITY;
  return erlangC(c, a) / (c * mu - lambda) + 1 / mu;
}

/** Mean response time of M/G/1 by Pollaczek–Khinchine, from E[S] and E[S²]. */
export function mg1Response(lambda: number, meanS: number, secondMomentS: number): number {
  const rho = lambda * meanS;
  if (rho >= 1) return Number.POSITIVE_INFINITY;
  return meanS + (lambda * secondMomentS) / (2 * (1 - rho));
}

/** Mean response time of M/D/1 with deterministic service `d`. */
export function md1Response(lambda: number, d: number): number {
  return mg1Response(lambda, d, d * d);
}

/** Blocking probability of M/M/1/K (K places in the system, one in service). */
export function mm1kBlocking(lambda: number, mu: number, k: number): number {
  const rho = lambda / mu;
  if (rho === 1) return 1 / (k + 1);
  return ((1 - rho) * rho ** k) / (1 - rho ** (k + 1));
}

/**
 * Mean response time of a Jackson tandem of M/M/1 stations fed by Poisson rate `lambda`: by
 * Jackson's theorem each station behaves as an independent M/M/1, so W = Σ 1/(μᵢ − λ).
 */
export function tandemResponse(lambda: number, mus: readonly number[]): number {
  return mus.reduce((w, mu) => (mu > lambda ? w + 1 / (mu - lambda) : Number.POSITIVE_INFINITY), 0);
}

/** Mean of the maximum of `n` independent exponentials of rate `mu`: H(n)/μ (1.5/μ for two). */
export function meanMaxExp(n: number, mu: number): number {
  let h = 0;
  for (let k = 1; k <= n; k++) h += 1 / k;
  return h / mu;
}

/**
 * p-quantile of the response time of M/M/1 (exponential with rate μ − λ): what one replica of a
 * randomly split pool shows, the baseline power-of-two-choices improves on.
 */
export function mm1ResponseQuantile(lambda: number, mu: number, p: number): number {
  return -Math.log(1 - p) / (mu - lambda);
}
