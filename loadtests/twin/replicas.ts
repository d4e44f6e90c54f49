/**
 * A service's real concurrency limit: `replicas` replicas, each with `workers` slots and a waiting
 * room of `queue` requests, balanced round-robin like the simulator's default. A request beyond
 * the waiting room is rejected at once. Replicas can be taken down (crash faults) and come back.
 */

/** Outcome of asking for a slot. */
export type Admit = Promise<number> | null;

interface Replica {
  busy: number;
  waiting: ((replica: number) => void)[];
  up: boolean;
}

/** Slots of one service with busy-time accounting for utilization. */
export class Replicas {
  private readonly reps: Replica[];
  private next = 0;
  private busyTotal = 0;
  private busySince = 0;
  private busyIntegral = 0;
  private readonly start: number;
  served = 0;
  rejected = 0;

  constructor(
    count: number,
    readonly workers: number,
    readonly queue: number,
    private readonly clock: () => number,
  ) {
    this.reps = Array.from({ length: count }, () => ({ busy: 0, waiting: [], up: true }));
    this.busySince = clock();
    this.start = this.busySince;
  }

  /** Replicas currently up. */
  get up(): number {
    return this.reps.filter((r) => r.up).length;
  }

  /** Takes `count` replicas down (the last ones) or brings all back. */
  setDown(count: number): void {
    this.reps.forEach((r, i) => {
      r.up = i < this.reps.length - count;
    });
  }

  /** A slot on the next live replica: resolves with the replica index; null when rejected. */
  acquire(): Admit {
    const n = this.reps.length;
    for (let k = 0; k < n; k++) {
      const i = (this.next + k) % n;
      const r = this.reps[i];
      if (!r.up) continue;
      this.next = (i + 1) % n;
      if (r.busy < this.workers) {
        this.account(1);
        r.busy++;
        return Promise.resolve(i);
      }
      if (r.waiting.length < this.queue) return new Promise((resolve) => r.waiting.push(resolve));
      this.rejected++;
      return null;
    }
    this.rejected++;
    return null;
  }

  /** Frees replica `i`'s slot, handing it to the next waiting request if any. */
  release(i: number): void {
    const r = this.reps[i];
    this.served++;
    const w = r.waiting.shift();
    if (w) w(i);
    else {
      this.account(-1);
      r.busy--;
    }
  }

  /** Busy share of all slots since construction (0..1). */
  utilization(): number {
    const now = this.clock();
    const integral = this.busyIntegral + this.busyTotal * (now - this.busySince);
    const elapsed = now - this.start;
    return elapsed > 0 ? integral / (elapsed * this.reps.length * this.workers) : 0;
  }

  private account(delta: number): void {
    const now = this.clock();
    this.busyIntegral += this.busyTotal * (now - this.busySince);
    this.busySince = now;
    this.busyTotal += delta;
  }
}
