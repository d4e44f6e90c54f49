/**
 * Time integrals of levels that change at event times (busy workers, queue length, replicas), as
 * columns. Unlike a resettable average, the integral is never cleared: a window's mean is the
 * difference of two readings, so the warm-up cut, the timeline ticks and the autoscaler can all read
 * the same accumulator without disturbing each other.
 */
export class Integrals {
  readonly level: Float64Array;
  private readonly area: Float64Array;
  private readonly last: Float64Array;

  constructor(n: number) {
    this.level = new Float64Array(n);
    this.area = new Float64Array(n);
    this.last = new Float64Array(n);
  }

  /** Moves level `i` by `delta` at time `now`. */
  add(i: number, delta: number, now: number): void {
    this.area[i] += this.level[i] * (now - this.last[i]);
    this.last[i] = now;
    this.level[i] += delta;
  }

  /** ∫ level dt from 0 to `now`. */
  at(i: number, now: number): number {
    return this.area[i] + this.level[i] * (now - this.last[i]);
  }
}
