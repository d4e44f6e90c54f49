/**
 * Open arrival processes as "next arrival after now". Poisson draws exponential gaps; ramp,
 * diurnal and spike are non-homogeneous Poisson processes sampled by thinning (Lewis & Shedler
 * 1979): candidates at the peak rate λ*, each kept with probability λ(t)/λ*, which is exact for any
 * rate function bounded by λ*. Replay walks a sorted list of timestamps.
 */
import { peakRate } from '../../scenarios/arrivals.js';
import type { Arrivals } from '../../scenarios/schema.js';
import type { Rng } from '../kernel/random.js';

/** The rate λ(t) of an open process (arrivals per second); replay and closed have none. */
export function rateAt(a: Arrivals, t: number): number {
  switch (a.kind) {
    case 'poisson':
      return a.rate;
    case 'ramp':
      return t >= a.over ? a.to : a.from + ((a.to - a.from) * t) / a.over;
    case 'diurnal':
      return Math.max(0, a.mean * (1 + a.amplitude * Math.sin((2 * Math.PI * t) / a.period)));
    case 'spike':
      return t >= a.at && t < a.at + a.for ? a.peak : a.base;
    default:
      return 0;
  }
}

/** Generates arrival times of an open process. */
export class ArrivalProcess {
  private readonly opts: Arrivals;
  private readonly rng: Rng;
  /** The bound λ* thinning draws candidates at (the scenario's peak rate). */
  private readonly peak: number;
  private readonly times: ArrayLike<number> | undefined;
  private index = 0;

  /** @param times a replay's timestamps (seconds, sorted), read from its file by the caller. */
  constructor(opts: Arrivals, rng: Rng, times?: ArrayLike<number>) {
    if (opts.kind === 'closed') throw new Error('closed arrivals have no open process');
    if (opts.kind === 'replay' && times === undefined) throw new Error('a replay needs its timestamps');
    this.opts = opts;
    this.rng = rng;
    this.peak = peakRate(opts) ?? 0;
    this.times = opts.kind === 'replay' ? times : undefined;
  }

  /** Time of the first arrival after `now` (Infinity when there is none). */
  next(now: number): number {
    if (this.times)
      return this.index < this.times.length ? Math.max(now, this.times[this.index++]) : Infinity;
    if (!(this.peak > 0)) return Number.POSITIVE_INFINITY;
    const mean = 1 / this.peak;
    let t = now;
    if (this.opts.kind === 'poisson') return t - mean * Math.log(1 - this.rng());
    // Thinning; a process that stays at zero for a long while would loop here, so give up after a
    // bound and report no arrival (rates that low produce none in any practical horizon).
    for (let k = 0; k < 1_000_000; k++) {
      t -= mean * Math.log(1 - this.rng());
      if (this.rng() * this.peak < rateAt(this.opts, t)) return t;
    }
    return Number.POSITIVE_INFINITY;
  }
}
