/**
 * Sweep parallelism: 8 grid points on one worker thread (serial), then on 2 worker threads. Both
 * sides start cold — each worker loads its modules and JIT-compiles on its own, as in real use — so
 * the ratio measures parallelism, not warm-versus-cold. Target: ≥ 1.7×; `coresUsed` tells whether
 * the machine actually gave us two cores while the pool ran.
 */
import { performance } from 'node:perf_hooks';
import { grid, parseVary, pointSeed } from '../cli/sweep-grid.js';
import { runPool } from '../cli/sweep-pool.js';
import type { SweepJob } from '../cli/sweep-worker.js';
import { loadScenario } from '../scenarios/load.js';

/** One benchmark line. */
export interface SweepLine {
  bench: 'sweep-parallel';
  points: number;
  workers: number;
  serialSeconds: number;
  parallelSeconds: number;
  /** One worker ÷ `workers` workers, both cold. */
  speedup: number;
  /**
   * CPU seconds per wall second the process got while the pool ran: about 2 on an idle 2-core
   * machine; much less means other load kept the workers from running side by side.
   */
  coresUsed: number;
  identical: boolean;
}

function jobs(): SweepJob[] {
  const base = ['duration=1200000s', 'warmup=1000s', 'replications=1'];
  const points = grid([
    parseVary('services.server.workers=4,5,6,8'),
    parseVary('users.arrivals=poisson(3/s),poisson(3.2/s)'),
  ]);
  return points.map((o, id) => ({
    id,
    scenario: loadScenario('mmc', [...base, ...Object.entries(o).map(([k, v]) => `${k}=${v}`)]),
    seed: pointSeed(1, o),
  }));
}

/** Runs the comparison once. */
export async function benchSweep(workers = 2): Promise<SweepLine> {
  const js = jobs();
  const t0 = performance.now();
  const serial = await runPool(js, 1);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const parallel = await runPool(js, workers);
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  const s = (t1 - t0) / 1000;
  const p = (t2 - t1) / 1000;
  return {
    bench: 'sweep-parallel',
    points: js.length,
    workers,
    serialSeconds: Math.round(s * 1000) / 1000,
    parallelSeconds: Math.round(p * 1000) / 1000,
    speedup: Math.round((s / p) * 100) / 100,
    coresUsed: Math.round(((cpu.user + cpu.system) / 1e6 / p) * 100) / 100,
    identical: JSON.stringify(serial) === JSON.stringify(parallel),
  };
}
