/**
 * Kernel benchmark: M/M/c (c=4, λ=3.2, μ=1) through the same scenario, station and kernel the
 * models use, ≥ 5 M customers. Prints customers/s, events/s and peak heap.
 */
import { parseScenario } from '../scenarios/load.js';
import { build } from '../sim/build.js';

const MMC = `
name: mmc-bench
seed: 1
duration: 1600000s
users:
  arrivals: poisson(3.2/s)
  journeys:
    req: { steps: [server] }
services:
  server: { workers: 4, time: exp(1s), queue: 100000 }
`;

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
  const scenario = parseScenario(MMC, 'bench/mmc');
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
