/**
 * `capacity spotify --quick` end to end, as a user runs it (one process, its probes on worker
 * threads): the wall time (target < 120 s), the CPU seconds it took and the cores the machine gave
 * it, the answer with its bracket, and how sure it is (each budget's verdict over three seeds).
 * The search's cost is CPU-bound simulation: under other load the wall time stretches by about
 * load ÷ cores, so the load average is printed beside it.
 */
import { backline, machine, measured, notComparable, round } from './sweep-spawn.js';

/** One benchmark line. */
export async function benchCapacityQuick(scenario = 'spotify') {
  const before = machine();
  const run = await measured(() => backline(['capacity', scenario, '--quick', '--json']));
  const c = JSON.parse(run.value.stdout);
  return {
    bench: 'capacity-quick',
    scenario,
    wallSeconds: round(run.seconds, 1),
    cpuSeconds: round(run.cpu, 1),
    coresUsed: round(run.cores, 2),
    probes: c.probes.length,
    perRound: c.perRound,
    simulatedSecondsPerProbe: c.duration,
    rate: c.rate,
    interval: c.interval,
    confidence: c.confidence?.budgets.map(
      (b: { expr: string; verdict: string }) => `${b.expr}: ${b.verdict}`,
    ),
    loadavg1: [before.loadavg1, machine().loadavg1],
    targetSeconds: 120,
    // The target assumes the 2 cores its 2 probes a round can use.
    ...notComparable(run.cores),
  };
}
