/**
 * A sweep worker thread: runs the grid points it is sent, one at a time, and posts back progress and
 * each RunResult. The parent sends each point's scenario already validated (a few kB, structured
 * clone), so a worker never loads the scenario language (zod, yaml): that was two thirds of its
 * start-up, paid once per worker.
 */
import { parentPort } from 'node:worker_threads';
import type { Scenario } from '../scenarios/schema.js';
import { simulate } from '../sim/run.js';
import { runShare } from './progress.js';

/** A point to run. */
export interface SweepJob {
  id: number;
  /** The point's scenario, loaded and validated by the parent. */
  scenario: Scenario;
  seed: number;
  replications?: number;
}

/** What a worker posts back. */
export type SweepMessage =
  | { type: 'progress'; id: number; share: number }
  | { type: 'done'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string };

const port = parentPort;
if (port) {
  port.on('message', async (job: SweepJob) => {
    try {
      const run = simulate(job.scenario, { seed: job.seed, replications: job.replications });
      run.on('snapshot', (s) => port.postMessage({ type: 'progress', id: job.id, share: runShare(s) }));
      const result = await run.result;
      port.postMessage({ type: 'done', id: job.id, result } satisfies SweepMessage);
    } catch (e) {
      port.postMessage({ type: 'error', id: job.id, message: (e as Error).message } satisfies SweepMessage);
    }
  });
}
