/**
 * The user population as columns: one byte of region and one of plan per user, so a million users
 * cost two megabytes, not a million objects. Profiles people read (names in traces) are generated
 * elsewhere, on demand, from the user id.
 */
import type { Rng } from '../kernel/random.js';

/** Plan codes. */
export const FREE = 0;
export const PREMIUM = 1;

/** Every modelled user's region and plan. */
export class Population {
  readonly size: number;
  readonly region: Uint8Array;
  readonly plan: Uint8Array;

  /**
   * @param shares users' share per region (sums to 1); users are laid out region by region in
   *   proportion, then shuffled implicitly by {@link Population.pick} drawing ids uniformly.
   */
  constructor(size: number, shares: readonly number[], premium: number, rng: Rng) {
    if (shares.length > 255) throw new RangeError('at most 255 regions');
    this.size = size;
    this.region = new Uint8Array(size);
    this.plan = new Uint8Array(size);
    let total = 0;
    for (const s of shares) total += s;
    let from = 0;
    let acc = 0;
    shares.forEach((s, r) => {
      acc += s;
      const to = r === shares.length - 1 ? size : Math.round((acc / total) * size);
      this.region.fill(r, from, to);
      from = to;
    });
    if (premium > 0) for (let u = 0; u < size; u++) if (rng() < premium) this.plan[u] = PREMIUM;
  }

  /** A user chosen uniformly. */
  pick(rng: Rng): number {
    return Math.floor(rng() * this.size);
  }
}
