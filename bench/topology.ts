/**
 * Topology benchmark: 10 services, 3 journeys, 20 k journeys/s for 10 simulated minutes through
 * the request engine (routes, parallel fan-out, optional calls, timeouts, retries, a breaker, two
 * regions). Prints events/s and peak heap, and the heap a 1 M-user population adds.
 */
import { Kernel } from '../sim/kernel/kernel.js';
import { RandomStreams } from '../sim/kernel/random.js';
import type { ServiceOptions, TopologyOptions } from '../sim/topology/options.js';
import { Population } from '../sim/topology/population.js';
import { Topology } from '../sim/topology/topology.js';

const ms = (x: number) => x / 1000;
const logn = (median: number, sigma: number) => ({
  kind: 'lognormal' as const,
  mu: Math.log(ms(median)),
  sigma,
});

function leaf(name: string, median: number, extra: Partial<ServiceOptions> = {}): ServiceOptions {
  return { name, replicas: 6, workers: 32, queue: 1000, time: logn(median, 0.6), balance: 'p2c', ...extra };
}

/** The benchmark topology (also a realistic shape: a gateway in front of nine services). */
export function benchTopologyOptions(duration = 600): TopologyOptions {
  return {
    duration,
    warmup: 30,
    regions: [
      { name: 'eu-west', users: 0.6 },
      { name: 'us-east', users: 0.4 },
    ],
    // The DESIGN example's network: 0.5 ms inside a region (each call then has two network hops,
    // i.e. request and answer events besides its service event), 38 ms across.
    latency: { intra: 0.0005, jitter: 0.1, pairs: [{ a: 'eu-west', b: 'us-east', oneWay: 0.038 }] },
    users: {
      population: 1_000_000,
      premium: 0.4,
      arrivals: { kind: 'poisson', rate: 20_000 },
      journeys: [
        { name: 'play', weight: 60, steps: ['gateway.play'] },
        { name: 'search', weight: 25, steps: ['gateway.search'] },
        { name: 'home', weight: 15, steps: ['gateway.home'] },
      ],
    },
    services: [
      {
        name: 'gateway',
        replicas: 8,
        workers: 256,
        queue: 2000,
        time: logn(0.3, 0.5),
        balance: 'p2c',
        routes: {
          play: [
            { call: 'auth.check' },
            { parallel: [{ call: 'metadata' }, { call: 'license' }] },
            { call: 'playlist' },
          ],
          search: [{ call: 'auth.check' }, { call: 'search' }, { call: 'ads', p: 0.3 }],
          home: [
            { call: 'auth.check' },
            { parallel: [{ call: 'recs' }, { call: 'user' }, { call: 'playlist' }] },
          ],
        },
      },
      leaf('auth', 0.5, {
        retry: { attempts: 2, backoff: 0.01, jitter: 'full', budget: 0.1 },
        routes: { check: [{ call: 'user', p: 0.1 }] },
      }),
      leaf('metadata', 1),
      leaf('license', 0.8, {
        timeout: 0.25,
        breaker: { failures: 0.5, window: 10, open: 5, minRequests: 20, probes: 1 },
      }),
      leaf('playlist', 1.5, { balance: 'least-conn' }),
      leaf('search', 3, { timeout: 0.5 }),
      leaf('ads', 2, { balance: 'random' }),
      leaf('recs', 4, { balance: 'round-robin' }),
      leaf('user', 0.7, { balance: 'hash' }),
      leaf('catalog', 1),
    ],
    faults: [{ at: 300, for: 30, kind: 'errors', target: 'license', rate: 0.05 }],
  };
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
  const opts = benchTopologyOptions(duration);
  const kernel = new Kernel(1 << 16);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const topo = new Topology(kernel, new RandomStreams(1), opts);
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
