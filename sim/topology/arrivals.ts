/**
 * Open arrival processes as "next arrival after now". Poisson draws exponential gaps; ramp,
 * diurnal and spike are non-homogeneous Poisson processes sampled by thinning (Lewis & Shedler
 * 1979): candidates at the peak rate λ*, each kept with probability λ(t)/λ*, which is exact for any
 * rate function bounded by λ*. Replay walks a sorted list of timestamps.
 */
import type { Rng } from '../kernel/random.js';
import type { ArrivalOptions } from './options.js';

/** The rate λ(t) of an open process (arrivals per second); replay and closed have none. */
export function rateAt(a: ArrivalOptions, t: number): number {
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

/** The bound λ* thinning draws candidates at. */
function peakRate(a: ArrivalOptions): number {
  switch (a.kind) {
    case 'poisson':
      return a.rate;
    case 'ramp':
      return Math.max(a.from, a.to);
    case 'diurnal':
      return a.mean * (1 + Math.abs(a.amplitude));
    case 'spike':
      return Math.max(a.base, a.peak);
    default:
      return 0;
  }
}

/** Generates arrival times of an open process. */
export class ArrivalProcess {
  private readonly opts: ArrivalOptions;
  private readonly rng: Rng;
  private readonly peak: number;
  private readonly times: ArrayLike<number> | undefined;
  private index = 0;

  constructor(opts: ArrivalOptions, rng: Rng) {
    if (opts.kind === 'closed') throw new Error('closed arrivals have no open process');
    this.opts = opts;
    this.rng = rng;
    this.peak = peakRate(opts);
    this.times = opts.kind === 'replay' ? opts.times : undefined;
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
