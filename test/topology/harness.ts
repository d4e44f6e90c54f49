/**
 * Runs the topology engine on hand-built options, with replications and 95 % intervals, the way
 * test/queueing.test.ts runs scenarios.
 */
import { ci95 } from '../../results/confidence.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import type { TopologyOptions } from '../../sim/topology/options.js';
import { Topology } from '../../sim/topology/topology.js';

/** Runs one replication to the end and returns the engine. */
export function runOnce(opts: TopologyOptions, seed = 1, rep = 0): Topology {
  const kernel = new Kernel(4096);
  const topo = new Topology(kernel, new RandomStreams(seed, rep), opts);
  topo.begin();
  kernel.run(opts.duration);
  return topo;
}

/** Mean of `metric` over `reps` replications and its 95 % interval. */
export function replicate(
  opts: TopologyOptions,
  reps: number,
  metric: (t: Topology) => number,
  seed = 1,
): { mean: number; ci: [number, number]; values: number[] } {
  const values: number[] = [];
  for (let r = 0; r < reps; r++) values.push(metric(runOnce(opts, seed, r)));
  const ci = ci95(values) ?? [values[0], values[0]];
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, ci, values };
}

/** Mean latency of journey `j` in seconds. */
export function meanLatency(t: Topology, j = 0): number {
  const h = t.stats[j].latency;
  return h.sum / h.count;
}

/** Expects the interval to cover `value` and the mean to be within `rel` of it. */
export function covers(got: { mean: number; ci: [number, number] }, value: number, rel = 0.03): boolean {
  return got.ci[0] <= value && got.ci[1] >= value && Math.abs(got.mean - value) / value < rel;
}
