/**
 * Journeys: weighted sequences of steps, each step a service call. A started journey walks its
 * steps in order; it ends when the last step is served, or with an error when a step rejects it.
 */
import { LatencyHistogram } from '../../results/histogram.js';
import type { Kernel } from '../kernel/kernel.js';
import type { Rng } from '../kernel/random.js';
import type { Requests } from './requests.js';
import type { Service } from './service.js';

/** Statistics of one journey since warm-up. */
export interface JourneyStats {
  name: string;
  /** Latency of successful journeys. */
  latency: LatencyHistogram;
  /** Latency of failed journeys, start to failure. */
  failed: LatencyHistogram;
  /** Finished journeys (successful or not) that started after warm-up. */
  count: number;
  errors: Record<string, number>;
}

/** Starts journeys and moves them from step to step. */
export class Journeys {
  readonly stats: JourneyStats[];
  /** Journeys that started before this time are left out of the statistics. */
  warmup = 0;

  private readonly kernel: Kernel;
  private readonly rng: Rng;
  private readonly requests: Requests;
  private readonly cumWeight: Float64Array;
  private readonly steps: Service[][] = [];

  constructor(kernel: Kernel, rng: Rng, requests: Requests, defs: { name: string; weight: number }[]) {
    this.kernel = kernel;
    this.rng = rng;
    this.requests = requests;
    this.cumWeight = new Float64Array(defs.length);
    let total = 0;
    defs.forEach((d, i) => {
      total += d.weight;
      this.cumWeight[i] = total;
    });
    for (let i = 0; i < defs.length; i++) this.cumWeight[i] /= total;
    this.stats = defs.map((d) => ({
      name: d.name,
      latency: new LatencyHistogram(),
      failed: new LatencyHistogram(),
      count: 0,
      errors: {},
    }));
  }

  /** Sets journey `j`'s steps (services are built after journeys, hence late). */
  setSteps(j: number, services: Service[]): void {
    this.steps[j] = services;
  }

  /** Starts one journey, chosen by weight. */
  start(): void {
    const u = this.rng();
    const cw = this.cumWeight;
    let j = 0;
    while (j < cw.length - 1 && u >= cw[j]) j++;
    const req = this.requests.alloc();
    this.requests.start[req] = this.kernel.now;
    this.requests.journey[req] = j;
    this.requests.step[req] = 0;
    if (!this.steps[j][0].submit(req)) this.fail(req, 'rejected');
  }

  /** Called when `req` finished its current step. */
  advance(req: number): void {
    const r = this.requests;
    const j = r.journey[req];
    const next = ++r.step[req];
    const steps = this.steps[j];
    if (next < steps.length) {
      if (!steps[next].submit(req)) this.fail(req, 'rejected');
      return;
    }
    const start = r.start[req];
    if (start >= this.warmup) {
      const s = this.stats[j];
      s.count++;
      s.latency.record(this.kernel.now - start);
    }
    r.release(req);
  }

  /** Ends `req` with an error of the given cause. */
  fail(req: number, cause: string): void {
    const r = this.requests;
    if (r.start[req] >= this.warmup) {
      const s = this.stats[r.journey[req]];
      s.count++;
      s.errors[cause] = (s.errors[cause] ?? 0) + 1;
      s.failed.record(this.kernel.now - r.start[req]);
    }
    r.release(req);
  }
}
