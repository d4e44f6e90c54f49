/**
 * The requests in flight, as columns (struct of arrays) so a million of them cost a few typed
 * arrays rather than a million objects. Ids are recycled.
 */
export class Requests {
  /** Simulated time the journey started (seconds). */
  start: Float64Array;
  /** Journey index. */
  journey: Int32Array;
  /** Index of the journey step being served. */
  step: Int32Array;
  private free: Int32Array;
  private freeTop = 0;
  private next = 0;

  constructor(capacity = 1024) {
    this.start = new Float64Array(capacity);
    this.journey = new Int32Array(capacity);
    this.step = new Int32Array(capacity);
    this.free = new Int32Array(capacity);
  }

  /** Number of requests in flight. */
  get live(): number {
    return this.next - this.freeTop;
  }

  /** Takes a fresh id. */
  alloc(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop];
    if (this.next === this.start.length) this.grow();
    return this.next++;
  }

  /** Returns an id for reuse. */
  release(id: number): void {
    this.free[this.freeTop++] = id;
  }

  private grow(): void {
    const n = this.start.length * 2;
    const f = new Float64Array(n);
    f.set(this.start);
    this.start = f;
    const j = new Int32Array(n);
    j.set(this.journey);
    this.journey = j;
    const s = new Int32Array(n);
    s.set(this.step);
    this.step = s;
    const fr = new Int32Array(n);
    fr.set(this.free);
    this.free = fr;
  }
}
