/**
 * A service station: `workers` parallel servers in front of a FCFS waiting room of `queue` places.
 * An arrival that finds every worker busy and the room full is rejected (counted, not queued).
 */
import type { Kernel } from '../kernel/kernel.js';
import { TimeWeighted } from '../kernel/time-weighted.js';

/** What a station does with a request that finished service. */
export type DoneCallback = (req: number) => void;

/** One replica's worth of servers and waiting room. */
export class Station {
  readonly name: string;
  readonly workers: number;
  readonly capacity: number;
  /** Busy workers over time (utilization = mean / workers). */
  readonly busy: TimeWeighted;
  /** Requests waiting (not in service) over time. */
  readonly waiting: TimeWeighted;
  served = 0;
  rejected = 0;

  private readonly kernel: Kernel;
  private readonly serviceTime: () => number;
  private readonly onDone: DoneCallback;
  private readonly doneId: number;
  // Waiting room as a ring buffer of request ids; grows on demand up to `capacity`.
  private ring: Int32Array;
  private head = 0;
  private length = 0;

  constructor(
    kernel: Kernel,
    name: string,
    opts: { workers: number; queue: number; time: () => number },
    onDone: DoneCallback,
  ) {
    this.kernel = kernel;
    this.name = name;
    this.workers = opts.workers;
    this.capacity = opts.queue;
    this.serviceTime = opts.time;
    this.onDone = onDone;
    this.busy = new TimeWeighted(kernel.now);
    this.waiting = new TimeWeighted(kernel.now);
    this.ring = new Int32Array(Math.max(4, Math.min(opts.queue, 1024)));
    this.doneId = kernel.on((req) => this.finish(req));
  }

  /** Requests in service plus waiting. */
  get inSystem(): number {
    return this.busy.level + this.length;
  }

  /** Offers request `req`. @returns false when it was rejected (all busy, room full). */
  arrive(req: number): boolean {
    const now = this.kernel.now;
    if (this.busy.level < this.workers) {
      this.busy.add(1, now);
      this.kernel.schedule(this.serviceTime(), this.doneId, req);
      return true;
    }
    if (this.length >= this.capacity) {
      this.rejected++;
      return false;
    }
    if (this.length === this.ring.length) this.growRing();
    this.ring[(this.head + this.length) % this.ring.length] = req;
    this.length++;
    this.waiting.add(1, now);
    return true;
  }

  /** Clears statistics at the end of warm-up. */
  resetStats(now: number): void {
    this.busy.reset(now);
    this.waiting.reset(now);
    this.served = 0;
    this.rejected = 0;
  }

  private finish(req: number): void {
    const now = this.kernel.now;
    this.served++;
    if (this.length > 0) {
      // The worker goes straight to the next waiting request: busy count is unchanged.
      const next = this.ring[this.head];
      this.head = (this.head + 1) % this.ring.length;
      this.length--;
      this.waiting.add(-1, now);
      this.kernel.schedule(this.serviceTime(), this.doneId, next);
    } else {
      this.busy.add(-1, now);
    }
    this.onDone(req);
  }

  private growRing(): void {
    const bigger = new Int32Array(Math.min(this.ring.length * 2, Math.max(this.capacity, 4)));
    for (let i = 0; i < this.length; i++) bigger[i] = this.ring[(this.head + i) % this.ring.length];
    this.ring = bigger;
    this.head = 0;
  }
}
