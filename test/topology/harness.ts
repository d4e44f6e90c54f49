/**
 * Runs the topology engine on scenarios built through the schema, with replications and 95 %
 * intervals, the way test/queueing.test.ts runs scenarios.
 */
import { ci95 } from '../../results/confidence.js';
import { parseScenario } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import { Kernel } from '../../sim/kernel/kernel.js';
import { RandomStreams } from '../../sim/kernel/random.js';
import { Topology } from '../../sim/topology/topology.js';

/** A scenario from YAML (indented as in the test's source), validated by the schema; named `t`. */
export function scenario(yaml: string): Scenario {
  const lines = yaml.split('\n').filter((l) => l.trim() !== '');
  const indent = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  return parseScenario(`name: t\n${lines.map((l) => l.slice(indent)).join('\n')}\n`, 'test.yaml');
}

/** Runs one replication to the end and returns the engine. */
export function runOnce(s: Scenario, seed = 1, rep = 0): Topology {
  const kernel = new Kernel(4096);
  const topo = new Topology(kernel, new RandomStreams(seed, rep), s);
  topo.begin();
  kernel.run(s.duration);
  return topo;
}

/** Mean of `metric` over `reps` replications and its 95 % interval. */
export function replicate(
  s: Scenario,
  reps: number,
  metric: (t: Topology) => number,
  seed = 1,
): { mean: number; ci: [number, number]; values: number[] } {
  const values: number[] = [];
  for (let r = 0; r < reps; r++) values.push(metric(runOnce(s, seed, r)));
  const ci = ci95(values) ?? [values[0], values[0]];
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, ci, values };
}

/** Mean latency of journey `j` in seconds. */
export function meanLatency(t: Topology, j = 0): number {
  const h = t.stats[j].latency;
  return h.sum / h.count;
}
