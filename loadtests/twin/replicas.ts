/**
 * One replica of a twin service: `workers` real slots and a waiting room of `queue` requests (no
 * limit when the service turns shedding off), with the simulator's lifecycle (OFF → PROVISIONING →
 * UP → DRAINING → OFF, see `sim/topology/replicas.ts`). A request beyond the waiting room is rejected
 * at once. Busy and capacity areas are kept as the simulator keeps them, so utilization means the
 * same thing in both: busy worker-seconds over worker-seconds of replicas that were serving.
 */

/** Not provisioned (an autoscaling slot not in use). */
export const OFF = 0;
/** Requested by the autoscaler, not serving yet. */
export const PROVISIONING = 1;
/** Serving. */
export const UP = 2;
/** Scaled in: takes no new requests, finishes what it holds, then goes OFF. */
export const DRAINING = 3;

/** A waiting request: resolved with true when it gets a worker, false when its replica died. */
type Waiter = (served: boolean) => void;

/** One replica's slots, state and time integrals. */
export class TwinReplica {
  state = OFF;
  /** Faults currently holding the replica down (faults nest, as in the simulator). */
  down = 0;
  busy = 0;
  served = 0;
  /** The replica's own port (0 until it listens). */
  port = 0;
  private readonly waiting: Waiter[] = [];
  private since: number;
  private busyArea = 0;
  private capArea = 0;

  constructor(
    readonly service: number,
    readonly region: number,
    readonly workers: number,
    /** Waiting-room size; Infinity when shedding is off. */
    readonly queue: number,
    private readonly clock: () => number,
  ) {
    this.since = clock();
  }

  /** Up and not held down by a fault: a balancer may pick it. */
  routable(): boolean {
    return this.state === UP && this.down === 0;
  }

  /** Has a process that takes connections: up or draining, and no fault holding it down. */
  alive(): boolean {
    return this.down === 0 && (this.state === UP || this.state === DRAINING);
  }

  /** Requests at the replica: in service, waiting on calls, or queued. */
  load(): number {
    return this.busy + this.waiting.length;
  }

  /** Requests in the waiting room. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A worker for one request: resolves true once it holds one (false when the replica died while
   * it waited); null when the waiting room is full (rejected).
   */
  acquire(): Promise<boolean> | null {
    if (this.busy < this.workers) {
      this.account();
      this.busy++;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.queue) return null;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Frees a worker, handing it to the oldest waiting request if any. */
  release(): void {
    this.served++;
    const next = this.waiting.shift();
    if (next) next(true);
    else {
      this.account();
      this.busy--;
    }
  }

  /** Changes the lifecycle state, keeping the capacity integral right. */
  setState(state: number): void {
    this.account();
    this.state = state;
  }

  /** A fault takes the replica down (+1) or releases it (-1); going down fails every waiting request. */
  setDown(delta: number): void {
    this.account();
    this.down = Math.max(0, this.down + delta);
    if (this.down > 0) for (const w of this.waiting.splice(0)) w(false);
  }

  /** Busy and capacity worker-seconds so far. */
  areas(): { busy: number; cap: number } {
    this.account();
    return { busy: this.busyArea, cap: this.capArea };
  }

  private account(): void {
    const now = this.clock();
    const dt = now - this.since;
    this.busyArea += this.busy * dt;
    if (this.routable()) this.capArea += this.workers * dt;
    this.since = now;
  }
}
