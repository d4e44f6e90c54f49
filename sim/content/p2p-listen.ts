/**
 * How long a listener hears a track: to its end, or to the point where they skip it, drawn from the
 * scenario's skip curve (`p2p.skip`, scenarios/skip-curve.ts). A skip matters to the hybrid model in
 * two ways: a track left before its prefetch point (its end − `prefetch`) never prefetches the next
 * one, so the next play is looked up like a random access; and only the part heard is data played.
 */
import type { SkipCurve } from '../../scenarios/skip-curve.js';
import type { Rng } from '../kernel/random.js';

/** Draws listening times from a skip curve. */
export class Listening {
  constructor(
    private readonly curve: SkipCurve,
    private readonly rng: Rng,
  ) {}

  /** Seconds of a `duration`-second track the listener hears (`duration` itself when not skipped). */
  time(duration: number): number {
    const { at, share, end } = this.curve;
    const u = this.rng();
    if (u >= end) return duration;
    // Invert the piecewise-linear curve through (0, 0), the points before the track's end, and
    // (duration, end).
    let t0 = 0;
    let f0 = 0;
    for (let i = 0; i < at.length && at[i] < duration; i++) {
      if (u < share[i]) return t0 + ((u - f0) / (share[i] - f0)) * (at[i] - t0);
      t0 = at[i];
      f0 = share[i];
    }
    return t0 + ((u - f0) / (end - f0)) * (duration - t0);
  }
}
