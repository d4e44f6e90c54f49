/**
 * `load` on the in-process driver: the run, watched by the live dashboard on a terminal or by
 * plain progress lines otherwise, stopped early by Ctrl-C (a signal, or a key on the dashboard).
 */
import type { LoadOutcome, LoadRun } from '../../loadtests/autocannon/driver.js';
import type { TwinProcess } from '../../loadtests/twin/process.js';
import type { MetricsExporter } from '../../metrics/export.js';
import type { RunResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/load.js';
import type { LoadDashboard } from '../dashboard/load-live.js';
import { attachLoadProgress } from '../progress.js';
import type { LoadSettings } from './options.js';

/** A finished in-process run and who shows its end. */
export interface InProcessRun {
  outcome: LoadOutcome;
  board: LoadDashboard | undefined;
  finishProgress: ((r: RunResult) => void) | undefined;
}

/** Runs the load to its end (or Ctrl-C); the dashboard is given the terminal back when it fails. */
export async function runInProcess(
  scenario: Scenario,
  raw: string | undefined,
  s: LoadSettings,
  opts: { max?: boolean; json?: boolean },
  around: {
    live: typeof import('../dashboard/load-live.js') | undefined;
    twin: TwinProcess | undefined;
    exporter: MetricsExporter | undefined;
  },
): Promise<InProcessRun> {
  const { startLoad } = await import('../../loadtests/autocannon/driver.js');
  // The driver resolves `${env.…}` itself so the result can redact it.
  const run: LoadRun = startLoad(scenario, {
    target: raw,
    seed: s.seed,
    rate: s.rate,
    duration: s.duration,
    connections: s.connections,
    warmup: s.warmup,
    timeout: s.timeout,
    workers: s.workers,
    mode: opts.max ? 'max' : 'scenario',
  });
  around.exporter?.follow(run);
  let board: LoadDashboard | undefined;
  let finishProgress: ((r: RunResult) => void) | undefined;
  if (around.live) {
    board = around.live.mountLoadDashboard(run, {
      scenario,
      seed: s.seed ?? scenario.seed,
      mode: opts.max ? { kind: 'max', connections: s.connections } : { kind: 'open' },
      twin: around.twin,
      warmup: s.warmup,
      stdout: process.stdout,
    });
    const b = board;
    run.on('start', (plan) => {
      const sc = plan.schedule;
      b.setMode(
        opts.max
          ? { kind: 'max', connections: plan.connections }
          : sc.kind === 'open'
            ? { kind: 'open' }
            : { kind: 'closed', users: sc.users },
      );
    });
  } else if (!opts.json) {
    if (!opts.max)
      run.on('start', () =>
        process.stderr.write(
          `generator: ${run.workers.count} thread${run.workers.count === 1 ? '' : 's'} (${run.workers.why})\n`,
        ),
      );
    finishProgress = attachLoadProgress(run, { name: scenario.name, stream: process.stderr });
  }
  // With the dashboard, stdin is in raw mode and Ctrl-C arrives as a key; otherwise as a signal.
  const onSigint = () => run.stop();
  process.on('SIGINT', onSigint);
  try {
    return { outcome: await run.outcome, board, finishProgress };
  } catch (err) {
    // Give the terminal back before the error is printed (an unreachable target, say).
    await board?.cancel();
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
