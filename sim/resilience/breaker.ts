/**
 * A circuit breaker callers keep in front of one service.
 *
 * Closed: every outcome lands in a sliding window of ten buckets spanning `window` seconds; when the
 * window holds at least `minRequests` outcomes and the failed share reaches `failures`, the breaker
 * opens. Open: calls fail fast (no request leaves) for `open` seconds. Half-open: up to `probes`
 * calls go through; all of them succeeding closes the breaker (with an empty window), any failure
 * opens it again. The half-open transition is taken lazily, by the first call after `open` elapsed,
 * so an idle breaker costs no events.
 */
import type { Service } from '../../scenarios/service.js';

type BreakerOptions = NonNullable<Service['breaker']>;

const BUCKETS = 10;
export const CLOSED = 0;
export const OPEN = 1;
export const HALF_OPEN = 2;
const NAMES = ['closed', 'open', 'half-open'] as const;

/** One breaker and its history of transitions. */
export class Breaker {
  state = CLOSED;
  /** State changes in time order. */
  readonly transitions: [number, 'open' | 'half-open' | 'closed'][] = [];
  private readonly opts: BreakerOptions;
  private readonly width: number;
  private readonly ok = new Float64Array(BUCKETS);
  private readonly bad = new Float64Array(BUCKETS);
  private bucket = 0;
  private bucketEnd: number;
  private openUntil = 0;
  private probesOut = 0;
  private probesOk = 0;

  constructor(opts: BreakerOptions) {
    this.opts = opts;
    this.width = opts.window / BUCKETS;
    this.bucketEnd = this.width;
  }

  /** Whether a call may go now; false = fail fast. */
  allow(now: number): boolean {
    if (this.state === CLOSED) return true;
    if (this.state === OPEN) {
      if (now < this.openUntil) return false;
      this.move(HALF_OPEN, now);
      this.probesOut = 0;
      this.probesOk = 0;
    }
    if (this.probesOut >= this.opts.probes) return false;
    this.probesOut++;
    return true;
  }

  /** Records the outcome of a call that {@link Breaker.allow} let through. */
  record(success: boolean, now: number): void {
    if (this.state === HALF_OPEN) {
      if (!success) this.trip(now);
      else if (++this.probesOk >= this.opts.probes) {
        this.clear(now);
        this.move(CLOSED, now);
      }
      return;
    }
    if (this.state !== CLOSED) return; // an answer to a call sent before the breaker opened
    this.roll(now);
    if (success) this.ok[this.bucket]++;
    else {
      this.bad[this.bucket]++;
      let ok = 0;
      let bad = 0;
      for (let i = 0; i < BUCKETS; i++) {
        ok += this.ok[i];
        bad += this.bad[i];
      }
      if (ok + bad >= this.opts.minRequests && bad >= this.opts.failures * (ok + bad)) this.trip(now);
    }
  }

  private trip(now: number): void {
    this.openUntil = now + this.opts.open;
    this.move(OPEN, now);
  }

  private move(to: number, now: number): void {
    this.state = to;
    this.transitions.push([now, NAMES[to]]);
  }

  /** Advances the ring of buckets to the one holding `now`. */
  private roll(now: number): void {
    if (now < this.bucketEnd) return;
    const steps = Math.floor((now - this.bucketEnd) / this.width) + 1;
    if (steps >= BUCKETS) {
      this.ok.fill(0);
      this.bad.fill(0);
    } else {
      for (let k = 0; k < steps; k++) {
        this.bucket = (this.bucket + 1) % BUCKETS;
        this.ok[this.bucket] = 0;
        this.bad[this.bucket] = 0;
      }
    }
    if (steps >= BUCKETS) this.bucket = (this.bucket + steps) % BUCKETS;
    this.bucketEnd += steps * this.width;
  }

  private clear(now: number): void {
    this.ok.fill(0);
    this.bad.fill(0);
    this.bucketEnd = now + this.width;
  }
}
