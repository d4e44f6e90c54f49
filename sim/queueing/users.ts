/**
 * Users: the arrival process that starts journeys. Open model, Poisson arrivals for now.
 */

import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import type { Journeys } from './journeys.js';

/** Schedules arrivals until `until` and starts a journey at each. */
export class Users {
  private readonly kernel: Kernel;
  private readonly rng: Rng;
  private readonly journeys: Journeys;
  private readonly mean: number;
  private readonly arriveId: number;
  private readonly until: number;
  arrived = 0;

  constructor(kernel: Kernel, rng: Rng, journeys: Journeys, arrivals: { rate: number }, until: number) {
    this.kernel = kernel;
    this.rng = rng;
    this.journeys = journeys;
    this.mean = 1 / arrivals.rate;
    this.until = until;
    this.arriveId = kernel.on(() => this.arrive());
  }

  /** Schedules the first arrival. */
  begin(): void {
    this.next();
  }

  private next(): void {
    const gap = -this.mean * Math.log(1 - this.rng());
    if (this.kernel.now + gap <= this.until) this.kernel.schedule(gap, this.arriveId);
  }

  private arrive(): void {
    this.arrived++;
    this.next();
    this.journeys.start();
  }
}
