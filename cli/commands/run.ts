/**
 * `backline run <scenario>`: simulate with the live dashboard on a terminal (plain progress lines
 * in CI, in pipes, or with `--no-dashboard`), write the reports, print their paths, and exit 1 when a
 * budget failed. `q` (or Ctrl-C) stops early and keeps what was measured.
 */
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { RunResult } from '../../results/run-result.js';
import { capacityWarnings } from '../../scenarios/capacity.js';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';
import { heldOutput } from '../dashboard/held-output.js';
import type { LiveDashboard } from '../dashboard/live.js';
import { displayRows } from '../dashboard/terminal-rows.js';
import { EXIT, verdictExit } from '../exit.js';
import { formatSummary } from '../format.js';
import { type MetricsFlags, metricsOptions, startExporter } from '../metrics-flags.js';
import { intOption, scenarioOptions } from '../options.js';
import { attachProgress } from '../progress.js';
import { defaultOutDir, writeReportsKeeping } from '../write-reports.js';
import { type HistoryFlag, historyOptions, recordRun } from './history.js';

/** Options of `run`. */
export interface RunCommandOptions extends MetricsFlags {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
  /** False with `--no-dashboard`. */
  dashboard?: boolean;
  out?: string;
  history?: HistoryFlag;
}

/** Whether we run under CI (`CI=true`, `CI=1`…), where a dashboard would only garble the log. */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Selects React's production build before Ink is first imported. The development build checks
 * every element and costs several times more per frame, which would show in a simulation's speed.
 * React and its reconciler read NODE_ENV when they load, so this must run before the dynamic
 * import of the dashboard (a static import would be evaluated too early). An explicit NODE_ENV wins.
 */
export function selectReactProduction(): void {
  process.env.NODE_ENV ??= 'production';
}

/** Runs `run` and returns the exit code. */
export async function runCommand(arg: string, opts: RunCommandOptions): Promise<number> {
  const seedOpt = intOption('seed', opts.seed);
  const repsOpt = intOption('replications', opts.replications, 1);
  const scenario = loadScenario(arg, opts.set);
  const seed = seedOpt ?? scenario.seed;
  const replications = repsOpt ?? scenario.replications;
  for (const w of capacityWarnings(scenario)) process.stderr.write(`warning: ${w}\n`);
  const dashboard = !opts.json && opts.dashboard !== false && Boolean(process.stdout.isTTY) && !underCi();
  // Ink loads before the run starts, so the first snapshots are not simulated unseen.
  if (dashboard) selectReactProduction();
  const live = dashboard ? await import('../dashboard/live.js') : undefined;
  const exporter = await startExporter(opts, { kind: 'sim', scenario: scenario.name });
  const run = simulate(scenario, { seed, replications, sliceEvents: live?.SLICE_EVENTS });
  exporter?.follow(run);
  const t0 = performance.now();
  let finish: (r: RunResult) => void | Promise<void> = () => {};
  let board: LiveDashboard | undefined;
  if (live) {
    board = live.mountDashboard(run, { scenario, seed, replications, stdout: process.stdout });
    // The last frame is drawn at once and kept until what goes under it is known (see below).
    finish = (r) => board?.settle(r);
  } else if (!opts.json) {
    finish = attachProgress(run, { name: scenario.name, stream: process.stderr });
  }
  // With the dashboard, stdin is in raw mode and Ctrl-C arrives as a key; otherwise as a signal.
  const onSigint = () => run.stop();
  process.on('SIGINT', onSigint);
  let result: RunResult;
  try {
    result = await run.result;
  } finally {
    process.off('SIGINT', onSigint);
  }
  await finish(result);
  exporter?.finish(result);

  // Under the dashboard's last frame, what is printed is held until the frame is sized to leave it
  // room at the terminal's width (a long --out path wraps), so the frame keeps its title on screen.
  const held = { out: heldOutput(), err: heldOutput() };
  const stdout = board ? held.out.stream : process.stdout;
  const stderr = board ? held.err.stream : process.stderr;
  let code: number;
  let error: Error | undefined;
  // The kept frame holds the terminal (raw mode): a failure from here on gives it back first.
  try {
    const outDir = opts.out ?? defaultOutDir(scenario.name, result);
    code = verdictExit(result, {}, stderr);
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    // What was measured goes out before anything touches the disk, which may be full.
    if (opts.json) stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!dashboard) stdout.write(`${formatSummary(result)}\n`);
    else {
      const failed = result.budgets.filter((b) => b.pass === false);
      if (failed.length > 0) stdout.write(`budget failed: ${failed.map((b) => b.expr).join(', ')}\n`);
    }
    let paths: string[];
    ({ paths, error } = writeReportsKeeping(
      result,
      {
        outDir,
        scenario: scenario.name,
        resultOnStdout: Boolean(opts.json),
        wallSeconds: (performance.now() - t0) / 1000,
      },
      stdout,
    ));
    await recordRun(
      opts.history,
      result,
      { command: 'run', exitCode: error ? EXIT.run : code, outDir },
      stderr,
    );
    if (opts.json) for (const p of paths) stderr.write(`wrote ${p}\n`);
    else {
      stdout.write(`${result.partial ? 'stopped early after' : 'finished in'} ${seconds}s; reports:\n`);
      for (const p of paths) stdout.write(`  ${p}\n`);
    }
  } catch (err) {
    await board?.finish(result);
    throw err;
  }
  if (board) {
    const belowRows = displayRows(held.err.text, process.stdout.columns);
    await board.finish(result, { below: held.out.text, belowRows });
    process.stderr.write(held.err.text);
  }
  await exporter?.close();
  if (error) throw error;
  return code;
}

/** Registers `run`. */
export function register(program: Command): void {
  historyOptions(
    scenarioOptions(
      metricsOptions(
        program
          .command('run')
          .description('simulate a scenario with a live dashboard, write the reports and check the budgets')
          .argument('<scenario>', 'scenario file or catalog name'),
      ),
    ),
  )
    .option('--no-dashboard', 'print plain progress lines instead of the live dashboard')
    .option('--out <dir>', 'directory for the reports (default out/<scenario>-<run id>/)')
    .action(async (scenario: string, opts: RunCommandOptions) => {
      process.exitCode = await runCommand(scenario, opts);
    });
}
