/**
 * Timeouts without filling the event list. Almost every timeout is cancelled (the answer comes
 * first), and the kernel cancels lazily, so scheduling each one would leave the heap mostly dead
 * entries and make every event slower. But timeouts with the same delay expire in the order they were
 * set, so one FIFO per distinct delay suffices, with a single kernel event armed for its oldest live
 * entry. Cancelling is free: the owner marks its row, and the FIFO skips it when it comes up.
 */
import type { Kernel } from '../kernel/kernel.js';

/** FIFO timers grouped by delay. */
export class TimeoutQueues {
  private readonly kernel: Kernel;
  private readonly fireId: number;
  private readonly delays: number[] = [];
  private readonly index = new Map<number, number>();
  private refs: Float64Array[] = [];
  private due: Float64Array[] = [];
  private head: number[] = [];
  private len: number[] = [];
  private armed: boolean[] = [];
  private lastDelay = Number.NaN;
  private lastQueue = 0;
  private readonly live: (ref: number) => boolean;
  private readonly expire: (ref: number) => void;

  /**
   * @param live whether the timer named `ref` still stands (not cancelled, row not recycled).
   * @param expire called for each timer that runs out.
   */
  constructor(kernel: Kernel, live: (ref: number) => boolean, expire: (ref: number) => void) {
    this.kernel = kernel;
    this.live = live;
    this.expire = expire;
    this.fireId = kernel.on((q) => this.fire(q));
  }

  /** Starts a timer of `delay` seconds for `ref`. */
  add(delay: number, ref: number): void {
    // Callers mostly repeat the previous delay (one service's timeout): skip the map then.
    let q = delay === this.lastDelay ? this.lastQueue : this.index.get(delay);
    if (q === undefined) {
      q = this.delays.length;
      this.index.set(delay, q);
      this.delays.push(delay);
      this.refs.push(new Float64Array(64));
      this.due.push(new Float64Array(64));
      this.head.push(0);
      this.len.push(0);
      this.armed.push(false);
    }
    this.lastDelay = delay;
    this.lastQueue = q;
    let refs = this.refs[q];
    let due = this.due[q];
    const n = this.len[q];
    if (n === refs.length) {
      const h = this.head[q];
      const r2 = new Float64Array(n * 2);
      const d2 = new Float64Array(n * 2);
      for (let i = 0; i < n; i++) {
        r2[i] = refs[(h + i) % n];
        d2[i] = due[(h + i) % n];
      }
      this.refs[q] = refs = r2;
      this.due[q] = due = d2;
      this.head[q] = 0;
    }
    const at = (this.head[q] + n) % refs.length;
    refs[at] = ref;
    due[at] = this.kernel.now + delay;
    this.len[q] = n + 1;
    if (!this.armed[q]) {
      this.armed[q] = true;
      this.kernel.schedule(delay, this.fireId, q);
    }
  }

  private fire(q: number): void {
    const now = this.kernel.now;
    const refs = this.refs[q];
    const due = this.due[q];
    const cap = refs.length;
    // Expire what is due, then drop cancelled timers from the front so the next wake-up is for a
    // timer that was still standing when armed.
    while (this.len[q] > 0) {
      const h = this.head[q];
      const ref = refs[h];
      const live = this.live(ref);
      if (live && due[h] > now) break;
      this.head[q] = h + 1 === cap ? 0 : h + 1;
      this.len[q]--;
      if (live) this.expire(ref);
    }
    // `expire` may have added timers (and grown the arrays): re-read before arming.
    if (this.len[q] > 0) this.kernel.at(this.due[q][this.head[q]], this.fireId, q);
    else this.armed[q] = false;
  }
}
