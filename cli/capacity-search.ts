/**
 * Where `capacity` probes next. The search runs in rounds of `perRound` rates that are simulated side
 * by side; which rates a round probes depends only on the verdicts of earlier rounds (never on how
 * many workers ran them or in which order they finished), so the answer is the same serial or
 * parallel. Rates are in log space because a capacity is a scale: before a failing rate is known
 * the search climbs by ×√2 per probe, before a passing one it falls by ÷2 per probe (low rates are
 * cheap to simulate), and once both are known it cuts the bracket into `perRound + 1` equal parts.
 */

/** What a round needs to know of an earlier probe. */
export interface ProbeVerdict {
  rate: number;
  pass: boolean;
}

/** How the search starts. */
export interface SearchStart {
  /** The analytic first estimate (arrivals/s); may be non-finite when the model cannot tell. */
  estimate: number;
  /**
   * The estimate is the bottleneck's saturation (ρ = 1), an upper end rather than an estimate of
   * the answer: the search then starts low, at `baseRate`, and climbs.
   */
  estimateIsBound: boolean;
  /** The scenario's own arrival rate, the starting point when the estimate is only a bound. */
  baseRate: number;
}

const UP = Math.SQRT2;
const DOWN = 2;

/** Probed rates carry 6 significant digits, the precision they are written into the scenario with. */
export const roundRate = (x: number): number => Number(x.toPrecision(6));

/**
 * The answer so far: `hi` is the lowest failing rate (∞ when none failed), `lo` the highest passing
 * rate below it (0 when none). A pass above a failure (noise, or a non-monotone budget) is ignored:
 * the answer never lies above a rate that failed.
 */
export function bracket(probes: readonly ProbeVerdict[]): [number, number] {
  let hi = Number.POSITIVE_INFINITY;
  for (const p of probes) if (!p.pass) hi = Math.min(hi, p.rate);
  let lo = 0;
  for (const p of probes) if (p.pass && p.rate < hi) lo = Math.max(lo, p.rate);
  return [lo, hi];
}

/** True when the bracket is narrower than `tolerance` (relative to its lower end). */
export function narrowEnough([lo, hi]: [number, number], tolerance: number): boolean {
  return lo > 0 && Number.isFinite(hi) && (hi - lo) / lo <= tolerance;
}

/** `k` rates strictly inside (a, b), equally spaced in log space. */
function inside(a: number, b: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => a * (b / a) ** ((j + 1) / (k + 1)));
}

/**
 * The rates of the next round (at most `k`), or none when the bracket is narrow enough. Rates
 * already probed are never probed again.
 */
export function nextRates(
  probes: readonly ProbeVerdict[],
  start: SearchStart,
  k: number,
  tolerance: number,
): number[] {
  if (k <= 0) return [];
  const [lo, hi] = bracket(probes);
  let rates: number[];
  if (probes.length === 0) {
    const a = start.estimate;
    if (Number.isFinite(a) && a > 0 && !start.estimateIsBound)
      rates = k === 1 ? [a] : inside(a / 1.25, a * 1.25, k);
    else {
      const from = Number.isFinite(a) && a > 0 ? Math.min(start.baseRate, a / 2) : start.baseRate;
      rates = Array.from({ length: k }, (_, j) => from * UP ** (j + 1));
    }
  } else if (lo > 0 && Number.isFinite(hi)) {
    if (narrowEnough([lo, hi], tolerance)) return [];
    rates = inside(lo, hi, k);
  } else if (lo > 0) rates = Array.from({ length: k }, (_, j) => lo * UP ** (j + 1));
  else rates = Array.from({ length: k }, (_, j) => hi / DOWN ** (j + 1));
  const seen = new Set(probes.map((p) => p.rate));
  return [...new Set(rates.map(roundRate))].filter((r) => r > 0 && Number.isFinite(r) && !seen.has(r));
}

/**
 * Rounds still expected: to bracket the answer (one, when an end is missing) and then to narrow
 * the bracket to `tolerance`, each round dividing its log-width by `k + 1`.
 */
export function roundsLeft(probes: readonly ProbeVerdict[], k: number, tolerance: number): number {
  const [lo, hi] = bracket(probes);
  const known = lo > 0 && Number.isFinite(hi);
  if (known && narrowEnough([lo, hi], tolerance)) return 0;
  const width = known ? Math.log(hi / lo) : Math.log(UP ** k);
  const narrowing = Math.max(0, Math.ceil(Math.log(width / Math.log1p(tolerance)) / Math.log(k + 1)));
  return narrowing + (known ? 0 : 1);
}
