/**
 * Runs sweep points on a pool of worker threads, returning results in job order whatever order
 * they finish in.
 */
import { Worker } from 'node:worker_threads';
import { RunError } from '../results/errors.js';
import type { RunResult } from '../results/run-result.js';
import type { SweepJob, SweepMessage } from './sweep-worker.js';

/** Progress of a sweep: per-job share done (0..1). */
export type SweepProgress = (shares: readonly number[]) => void;

/** Runs `jobs` on `workers` threads; `onProgress` gets every job's share done as it changes. */
export async function runPool(
  jobs: SweepJob[],
  workers: number,
  onProgress?: SweepProgress,
): Promise<RunResult[]> {
  const results: RunResult[] = new Array(jobs.length);
  const shares = jobs.map(() => 0);
  if (jobs.length === 0) return results;
  const url = new URL('./sweep-worker.js', import.meta.url);
  const n = Math.max(1, Math.min(workers, jobs.length));
  let next = 0;
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let finished = 0;
      const feed = (w: Worker) => {
        if (next < jobs.length) w.postMessage(jobs[next++]);
      };
      for (let i = 0; i < n; i++) {
        const w = new Worker(url);
        threads.push(w);
        w.on('message', (m: SweepMessage) => {
          if (m.type === 'progress') {
            shares[m.id] = m.share;
            onProgress?.(shares);
          } else if (m.type === 'done') {
            results[m.id] = m.result as RunResult;
            shares[m.id] = 1;
            onProgress?.(shares);
            if (++finished === jobs.length) resolve();
            else feed(w);
          } else reject(new RunError(`sweep point ${m.id + 1} failed: ${m.message}`));
        });
        w.on('error', (e) => reject(new RunError(`a sweep worker crashed: ${e.message}`)));
        w.on('exit', (code) => {
          if (finished < jobs.length && code !== 0)
            reject(new RunError(`a sweep worker exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(threads.map((w) => w.terminate()));
  }
  return results;
}
