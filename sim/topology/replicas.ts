/**
 * Replicas as columns: state, workers in use and a FCFS waiting room per replica. A replica is
 * routable when it is up and no fault holds it down; faults nest (a crash during a region outage
 * stays down until both end), hence a counter rather than a flag.
 */

/** Not provisioned (an autoscaling slot not in use). */
export const OFF = 0;
/** Requested by the autoscaler, not serving yet (but paid for). */
export const PROVISIONING = 1;
/** Serving. */
export const UP = 2;
/** Scaled in: takes no new requests, finishes what it holds, then goes OFF. */
export const DRAINING = 3;

/** Every replica of every service. */
export class ReplicaPool {
  readonly service: Int32Array;
  readonly region: Int32Array;
  readonly group: Int32Array;
  readonly state: Uint8Array;
  /** Faults currently holding the replica down. */
  readonly down: Int32Array;
  /** Workers in use (serving or waiting on calls). */
  readonly busy: Int32Array;
  readonly workers: Int32Array;
  /** Waiting-room capacity (Infinity-like when shedding is off). */
  readonly capacity: Float64Array;
  readonly qlen: Int32Array;
  /** Requests each replica served (whole run). */
  readonly served: Float64Array;
  private readonly qhead: Int32Array;
  private readonly rings: Int32Array[];

  constructor(defs: { service: number; region: number; group: number; workers: number; queue: number }[]) {
    const n = defs.length;
    this.service = Int32Array.from(defs, (d) => d.service);
    this.region = Int32Array.from(defs, (d) => d.region);
    this.group = Int32Array.from(defs, (d) => d.group);
    this.workers = Int32Array.from(defs, (d) => d.workers);
    this.capacity = Float64Array.from(defs, (d) => d.queue);
    this.state = new Uint8Array(n);
    this.down = new Int32Array(n);
    this.busy = new Int32Array(n);
    this.qlen = new Int32Array(n);
    this.served = new Float64Array(n);
    this.qhead = new Int32Array(n);
    this.rings = defs.map((d) => new Int32Array(Math.max(4, Math.min(d.queue, 64))));
  }

  get size(): number {
    return this.state.length;
  }

  /** Up and not held down by a fault. */
  routable(r: number): boolean {
    return this.state[r] === UP && this.down[r] === 0;
  }

  /** Has a process that accepts connections: up or draining, and no fault holding it down. */
  alive(r: number): boolean {
    return this.down[r] === 0 && (this.state[r] === UP || this.state[r] === DRAINING);
  }

  /** Requests at the replica: in service, waiting on calls, or queued. */
  load(r: number): number {
    return this.busy[r] + this.qlen[r];
  }

  /** Appends `id` to replica `r`'s waiting room (the caller checked capacity). */
  push(r: number, id: number): void {
    let ring = this.rings[r];
    const len = this.qlen[r];
    if (len === ring.length) {
      const bigger = new Int32Array(ring.length * 2);
      const h = this.qhead[r];
      for (let i = 0; i < len; i++) bigger[i] = ring[(h + i) % ring.length];
      this.rings[r] = ring = bigger;
      this.qhead[r] = 0;
    }
    ring[(this.qhead[r] + len) % ring.length] = id;
    this.qlen[r] = len + 1;
  }

  /** Removes and returns the oldest waiting id, or -1. */
  shift(r: number): number {
    const len = this.qlen[r];
    if (len === 0) return -1;
    const ring = this.rings[r];
    const h = this.qhead[r];
    const id = ring[h];
    this.qhead[r] = h + 1 === ring.length ? 0 : h + 1;
    this.qlen[r] = len - 1;
    return id;
  }
}
