/**
 * Kernel benchmark: M/M/c (c=4, λ=3.2, μ=1) through the same scenario, station and kernel the
 * models use, ≥ 5 M customers. Prints customers/s, events/s and peak heap.
 */
import { loadScenario } from '../scenarios/load.js';
import { build } from '../sim/build.js';

/** One benchmark line. */
export interface MmcLine {
  bench: 'kernel-mmc';
  customers: number;
  events: number;
  seconds: number;
  customersPerSec: number;
  eventsPerSec: number;
  peakHeapMB: number;
  meanResponse: number;
}

/** Runs the M/M/c benchmark once. */
export function benchMmc(): MmcLine {
  // The catalog's M/M/4 case, long enough for 5 M customers, measured from t = 0.
  const scenario = loadScenario('mmc', ['duration=1600000s', 'warmup=0', 'replications=1']);
  const model = build(scenario, scenario.seed, 0);
  const k = model.kernel;
  let peak = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const slice = scenario.duration / 50;
  while (k.now < scenario.duration) {
    k.run(Math.min(scenario.duration, k.now + slice));
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const j = model.journeys.stats[0];
  return {
    bench: 'kernel-mmc',
    customers: j.count,
    events: k.fired,
    seconds: Math.round(seconds * 1000) / 1000,
    customersPerSec: Math.round(j.count / seconds),
    eventsPerSec: Math.round(k.fired / seconds),
    peakHeapMB: Math.round((peak / 2 ** 20) * 10) / 10,
    meanResponse: Math.round((j.latency.sum / j.latency.count) * 1e6) / 1e6,
  };
}
