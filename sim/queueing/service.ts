/**
 * A microservice: `replicas` stations, each with `workers` servers and a waiting room, behind a
 * round-robin balancer. (Other balancers, routes and resilience arrive with the topology model.)
 */
import type { Kernel } from '../kernel/kernel.js';
import { type DoneCallback, Station } from './station.js';

/** A named service made of identical replicas. */
export class Service {
  readonly name: string;
  readonly replicas: Station[];
  private rr = 0;

  constructor(
    kernel: Kernel,
    name: string,
    opts: { replicas: number; workers: number; queue: number; time: () => number },
    onDone: DoneCallback,
  ) {
    this.name = name;
    this.replicas = [];
    for (let r = 0; r < opts.replicas; r++) {
      this.replicas.push(new Station(kernel, `${name}#${r}`, opts, onDone));
    }
  }

  /** Sends `req` to the next replica. @returns false when that replica rejected it. */
  submit(req: number): boolean {
    const reps = this.replicas;
    const s = reps[this.rr];
    this.rr = this.rr + 1 === reps.length ? 0 : this.rr + 1;
    return s.arrive(req);
  }

  /** Share of worker time busy since the last reset, over all replicas (0..1). */
  utilization(now: number): number {
    let busy = 0;
    let workers = 0;
    for (const s of this.replicas) {
      busy += s.busy.mean(now);
      workers += s.workers;
    }
    return workers > 0 ? busy / workers : 0;
  }

  /** Mean number of requests waiting, summed over replicas. */
  meanQueue(now: number): number {
    let q = 0;
    for (const s of this.replicas) q += s.waiting.mean(now);
    return q;
  }

  /** Requests served and rejected since the last reset. */
  counts(): { served: number; rejected: number } {
    let served = 0;
    let rejected = 0;
    for (const s of this.replicas) {
      served += s.served;
      rejected += s.rejected;
    }
    return { served, rejected };
  }

  /** Clears statistics at the end of warm-up. */
  resetStats(now: number): void {
    for (const s of this.replicas) s.resetStats(now);
  }
}
