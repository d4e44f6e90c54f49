/**
 * Runs sweep points (and capacity probes) on a pool of worker threads, returning results in job
 * order whatever order they finish in. A pool can be kept open across batches: a capacity search
 * runs one batch per round and would otherwise pay every thread's start-up (module loading, JIT)
 * again each round.
 */
import { Worker } from 'node:worker_threads';
import { RunError } from '../results/errors.js';
import type { RunResult } from '../results/run-result.js';
import type { SweepJob, SweepMessage } from './sweep-worker.js';

/** Progress of a sweep: per-job share done (0..1). */
export type SweepProgress = (shares: readonly number[]) => void;

/** Worker threads that run batches of jobs, one batch at a time. */
export interface Pool {
  /** Runs `jobs` (ids 0..n−1) and resolves with their results in id order. */
  run(jobs: readonly SweepJob[], onProgress?: SweepProgress): Promise<RunResult[]>;
  /** Stops the threads. */
  close(): Promise<void>;
}

/** Opens a pool of `workers` threads (started lazily, at most as many as a batch has jobs). */
export function openPool(workers: number): Pool {
  const url = new URL('./sweep-worker.js', import.meta.url);
  const threads: Worker[] = [];
  // The batch in flight: each thread's messages go to whoever is running now.
  let onMessage: (w: Worker, m: SweepMessage) => void = () => {};
  let onFailure: (e: Error) => void = () => {};
  const spawn = () => {
    const w = new Worker(url);
    w.on('message', (m: SweepMessage) => onMessage(w, m));
    w.on('error', (e) => onFailure(new RunError(`a sweep worker crashed: ${e.message}`)));
    w.on('exit', (code) => {
      if (code !== 0) onFailure(new RunError(`a sweep worker exited with code ${code}`));
    });
    threads.push(w);
    return w;
  };
  return {
    async run(jobs, onProgress) {
      const results: RunResult[] = new Array(jobs.length);
      const shares = jobs.map(() => 0);
      if (jobs.length === 0) return results;
      while (threads.length < Math.max(1, Math.min(workers, jobs.length))) spawn();
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let finished = 0;
        const feed = (w: Worker) => {
          if (next < jobs.length) w.postMessage(jobs[next++]);
        };
        onFailure = reject;
        onMessage = (w, m) => {
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
        };
        for (const w of threads.slice(0, jobs.length)) feed(w);
      }).finally(() => {
        onMessage = () => {};
        onFailure = () => {};
      });
      return results;
    },
    async close() {
      onFailure = () => {};
      await Promise.all(threads.splice(0).map((w) => w.terminate()));
    },
  };
}

/** Runs `jobs` on `workers` threads; `onProgress` gets every job's share done as it changes. */
export async function runPool(
  jobs: SweepJob[],
  workers: number,
  onProgress?: SweepProgress,
): Promise<RunResult[]> {
  const pool = openPool(workers);
  try {
    return await pool.run(jobs, onProgress);
  } finally {
    await pool.close();
  }
}
