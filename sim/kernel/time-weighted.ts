/**
 * A time-weighted average of a level that changes at event times (busy workers, queue length).
 * The area under the level is accumulated lazily, on each change, so observing costs nothing.
 */
export class TimeWeighted {
  /** Current level. */
  level = 0;
  private area = 0;
  private last: number;
  private start: number;

  constructor(now = 0) {
    this.last = now;
    this.start = now;
  }

  /** Moves the level by `delta` at time `now`. */
  add(delta: number, now: number): void {
    this.area += this.level * (now - this.last);
    this.last = now;
    this.level += delta;
  }

  /** Forgets the history before `now` (warm-up removal); the current level stays. */
  reset(now: number): void {
    this.area = 0;
    this.last = now;
    this.start = now;
  }

  /** Time average of the level from the last reset until `now`. */
  mean(now: number): number {
    const span = now - this.start;
    if (span <= 0) return this.level;
    return (this.area + this.level * (now - this.last)) / span;
  }
}
