/**
 * Topology benchmark: 10 services, 3 journeys, 20 k journeys/s for 10 simulated minutes through
 * the request engine (routes, parallel fan-out, optional calls, timeouts, retries, a breaker, two
 * regions). Prints events/s and peak heap, and the heap a 1 M-user population adds.
 */
import { parseScenario } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/schema.js';
import { Kernel } from '../sim/kernel/kernel.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { Population } from '../sim/topology/population.js';
import { Topology } from '../sim/topology/topology.js';

/** lognormal with median `median` ms and shape `sigma`, written as the schema reads it. */
const logn = (median: number, sigma: number) =>
  `'lognormal(mu: ${Math.log(median / 1000)}, sigma: ${sigma})'`;

/** A leaf service: 6 replicas of 32 workers behind `balance`, with `extra` settings. */
const leaf = (median: number, balance = 'p2c', extra = '') =>
  `{ replicas: 6, workers: 32, queue: 1000, time: ${logn(median, 0.6)}, balance: ${balance}${extra ? `, ${extra}` : ''} }`;

/**
 * The benchmark topology (also a realistic shape: a gateway in front of nine services). The warm-up
 * and the error fault (at half time, for a twentieth) scale down with short JIT warm-up runs.
 */
export function benchTopologyScenario(duration = 600): Scenario {
  const yaml = `
name: bench-topology
duration: ${duration}s
warmup: ${Math.min(30, duration / 2)}s
regions:
  eu-west: { users: 60% }
  us-east: { users: 40% }
# 0.5 ms inside a region (each call then has two network hops, i.e. request and answer events
# besides its service event), 38 ms across.
latency: { intra: 0.5ms, jitter: 10%, eu-west<->us-east: 38ms }
users:
  population: 1000000
  premium: 40%
  arrivals: poisson(20000/s)
  journeys:
    play: { weight: 60, steps: [gateway.play] }
    search: { weight: 25, steps: [gateway.search] }
    home: { weight: 15, steps: [gateway.home] }
services:
  gateway:
    replicas: 8
    workers: 256
    queue: 2000
    time: ${logn(0.3, 0.5)}
    balance: p2c
    routes:
      play: [auth.check, { parallel: [metadata, license] }, playlist]
      search: [auth.check, search, { call: ads, p: 30% }]
      home: [auth.check, { parallel: [recs, user, playlist] }]
  auth: ${leaf(0.5, 'p2c', 'retry: { attempts: 2, backoff: 10ms, jitter: full, budget: 10% }, routes: { check: [{ call: user, p: 10% }] }')}
  metadata: ${leaf(1)}
  license: ${leaf(0.8, 'p2c', 'timeout: 250ms, breaker: { failures: 50%, window: 10s, open: 5s, minRequests: 20, probes: 1 }')}
  playlist: ${leaf(1.5, 'least-conn')}
  search: ${leaf(3, 'p2c', 'timeout: 500ms')}
  ads: ${leaf(2, 'random')}
  recs: ${leaf(4, 'round-robin')}
  user: ${leaf(0.7, 'hash')}
  catalog: ${leaf(1)}
faults:
  - { at: ${duration / 2}s, for: ${duration / 20}s, errors: license, rate: 5% }
`;
  return parseScenario(yaml, 'bench-topology.yaml');
}

/** One benchmark line. */
export interface TopologyLine {
  bench: 'topology';
  journeys: number;
  events: number;
  seconds: number;
  /** CPU seconds this process used (user + system); on a shared machine wall time overstates. */
  cpuSeconds: number;
  journeysPerSec: number;
  eventsPerSec: number;
  /** Events per CPU second: the rate on an otherwise idle core. */
  eventsPerCpuSec: number;
  peakHeapMB: number;
  /** Heap (JS heap plus typed-array buffers) a 1 M-user population adds, in MB. */
  population1MHeapMB: number;
  p99PlayMs: number;
}

function memMB(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
}

/** Heap a population of `n` users adds (JS heap plus its typed-array buffers). */
export function populationHeapMB(n = 1_000_000): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = memMB();
  const pop = new Population(n, [0.6, 0.4], 0.4, new RandomStreams(1).stream('population'));
  const after = memMB();
  if (pop.size !== n) throw new Error('population size');
  return Math.round((after - before) * 10) / 10;
}

/** Runs the topology benchmark once. */
export function benchTopology(duration = 600): TopologyLine {
  const scenario = benchTopologyScenario(duration);
  const kernel = new Kernel(1 << 16);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const topo = new Topology(kernel, new RandomStreams(1), scenario);
  topo.begin();
  let peak = memMB();
  const slice = duration / 100;
  while (kernel.now < duration) {
    kernel.run(Math.min(duration, kernel.now + slice));
    peak = Math.max(peak, memMB());
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const journeys = topo.stats.reduce((a, s) => a + s.count, 0);
  return {
    bench: 'topology',
    journeys,
    events: kernel.fired,
    seconds: Math.round(seconds * 1000) / 1000,
    cpuSeconds: Math.round(cpuSeconds * 1000) / 1000,
    journeysPerSec: Math.round(journeys / seconds),
    eventsPerSec: Math.round(kernel.fired / seconds),
    eventsPerCpuSec: Math.round(kernel.fired / cpuSeconds),
    peakHeapMB: Math.round(peak * 10) / 10,
    population1MHeapMB: populationHeapMB(),
    p99PlayMs: topo.stats[0].latency.percentileMs(99),
  };
}
