/**
 * `backline load <scenario>`: real load from the same scenario file. The in-process driver (open
 * model with coordinated-omission-corrected latency, closed model, or `--max` throughput on
 * autocannon) or `--tool k6`; `--twin` serves the scenario on loopback and loads it in one go;
 * `--predict` also simulates it and puts predicted beside measured; `--profile doctor|flame|…
 * -- <command>` starts the target under clinic for the length of the load and points to clinic's
 * HTML report. Exit 2 for a refused target,
 * 3 when the target is unreachable or k6 is missing (nothing is written then), 1 when a budget failed.
 *
 * On a terminal the in-process driver shows the live dashboard (plain progress lines under CI, in
 * pipes, or with `--no-dashboard`). `q` on the dashboard, Ctrl-C, or SIGINT stops the load early:
 * what was measured is kept as a partial result (`partial: true`), its budgets are evaluated, the
 * reports are written as for a full run, and the exit code is that verdict's (0, or 1 when a budget
 * failed on what was measured): stopping is not a failure of the run.
 *
 * The simulation is orchestrated here because `loadtests/` may not import `sim/` beyond its kernel.
 */

import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { LoadOutcome } from '../../loadtests/autocannon/driver.js';
import { evaluateLoadBudgets } from '../../loadtests/budgets.js';
import { maskTarget } from '../../loadtests/mask.js';
import type { ProfiledTarget } from '../../loadtests/profile/clinic.js';
import { checkTarget } from '../../loadtests/safety.js';
import type { TwinProcess } from '../../loadtests/twin/process.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario } from '../../scenarios/load.js';
import type { LoadDashboard } from '../dashboard/load-live.js';
import { EXIT, verdictExit } from '../exit.js';
import { belowFrame, failureLines, loadNotices } from '../load/after-frame.js';
import { durationNotice } from '../load/duration-notice.js';
import { runInProcess } from '../load/in-process.js';
import { checkK6Tool, runK6Tool } from '../load/k6.js';
import { type LoadCommandOptions, loadOptions, loadSettings } from '../load/options.js';
import { finishedLine, loadDetail, printLoadResult, type Shown, writeLoadReports } from '../load/output.js';
import { predictWindowMismatch } from '../load/predict-window.js';
import { resolveLoadTarget, startProfiledTarget } from '../load/target.js';
import { addTwin, startLoadTwin, stopLoadTwin, type TwinLeftovers } from '../load/twin.js';
import { metricsOptions, startExporter } from '../metrics-flags.js';
import { selectReactProduction, underCi } from './run.js';

/** Runs `load` and returns the exit code; `command` is the target to start under `--profile`. */
export async function loadCommand(
  arg: string,
  opts: LoadCommandOptions,
  command: string[] = [],
): Promise<number> {
  // Every secret the run will read is checked here, before the twin or a target starts.
  const scenario = loadScenario(arg, opts.set, {
    env: { vars: process.env, skipTarget: Boolean(opts.twin || opts.profile || opts.target !== undefined) },
  });
  if (opts.target !== undefined) resolveLoadTarget(opts.target);
  const s = loadSettings(scenario, opts, command);
  const cut = durationNotice(scenario, s);
  if (cut) process.stderr.write(`backline: ${cut}\n`);
  const { profile } = s;
  if (s.tool === 'k6') await checkK6Tool();
  // k6 reports only at its end; the dashboard follows the in-process driver's snapshots.
  const dashboard =
    s.tool === 'autocannon' &&
    !opts.json &&
    opts.dashboard !== false &&
    Boolean(process.stdout.isTTY) &&
    !underCi();
  if (dashboard) selectReactProduction();
  const live = dashboard ? await import('../dashboard/load-live.js') : undefined;

  // Before the twin: a --metrics port that cannot be bound is exit 2 with nothing started (it
  // used to fail after the twin was serving and leave it running, the command never ending).
  const exporter = await startExporter(opts, { kind: 'load', scenario: scenario.name });
  let twin: TwinProcess | undefined;
  let profiled: ProfiledTarget | undefined;
  try {
    if (opts.twin)
      twin = await startLoadTwin(scenario, {
        port: s.port,
        seed: s.seed,
        figures: Boolean(opts.metrics || opts.otlp),
        tracing: s.tracing,
        quiet: Boolean(opts.json),
      });
    if (profile) {
      // The dashboard owns the terminal; clinic's chatter would tear its frames.
      const log = opts.json || dashboard ? undefined : process.stderr;
      profiled = await startProfiledTarget(scenario, opts, profile, command, log);
      if (!opts.json)
        process.stderr.write(`clinic ${profile} profiling ${command.join(' ')} at ${profiled.url}\n`);
    }
  } catch (err) {
    // An open metrics server would keep the process alive after the error.
    await exporter?.close(0);
    throw err;
  }
  const raw = twin?.endpoints.url ?? profiled?.url ?? opts.target ?? scenario.load?.target;
  const { target, secrets } = resolveLoadTarget(raw);
  if (twin) exporter?.followTwin(twin.figures.bind(twin));
  const t0 = performance.now();
  let result: RunResult;
  let outcome: LoadOutcome | undefined;
  let left: TwinLeftovers | undefined;
  let board: LoadDashboard | undefined;
  let finishProgress: ((r: RunResult) => void) | undefined;
  try {
    if (s.tool === 'k6') {
      await checkTarget(target, scenario.load?.allow ?? []);
      result = await runK6Tool(scenario, target, maskTarget(target, secrets), s);
    } else {
      ({ outcome, board, finishProgress } = await runInProcess(scenario, raw, s, opts, {
        live,
        twin,
        exporter,
      }));
      result = outcome.result;
    }
  } catch (err) {
    profiled?.kill();
    await exporter?.close(0);
    if (twin) {
      // The spans traced before the failure are still written; the failure is what is raised.
      const { said, error } = (await stopLoadTwin(twin, opts.traces)).traces;
      process.stderr.write(error ? `backline: ${(error as Error).message}\n` : said);
    }
    throw err;
  }
  if (twin) left = await stopLoadTwin(twin, opts.traces);
  if (left) addTwin(result, left);
  // A generator that fell behind distorts every number: its budgets are not judged (exit 3 below)
  // unless --allow-late says to judge them anyway.
  const behind = result.generator?.behind ? result.generator : undefined;
  result.budgets = behind && !opts.allowLate ? [] : evaluateLoadBudgets(result, scenario.budgets);
  exporter?.finish(result);
  // On a terminal the last frame is drawn now and kept while the rest is worked out: what would
  // print under it goes above it instead, so its header stays on screen (cli/load/after-frame.ts).
  if (board) board.settle(result);
  else finishProgress?.(result);
  const notices = loadNotices(left?.traces.said ?? '', behind, opts.allowLate);
  if (board) board.note(notices);
  else process.stderr.write(notices);
  let profileReport: string | undefined;
  let predicted: RunResult | undefined;
  let shown: Shown;
  let written: ReturnType<typeof writeLoadReports>;
  // The kept frame holds the terminal (raw mode): a failure from here on gives it back first.
  try {
    // After the dashboard's last frame: clinic's analysis takes seconds and says so.
    if (profiled && profile) {
      const analysing = `stopping the target; clinic ${profile} is analysing (this takes a while)\n`;
      if (board) board.note(analysing);
      else if (!opts.json) process.stderr.write(analysing);
      profileReport = (await profiled.stop()).report;
      result.profile = { tool: `clinic ${profile}`, report: profileReport };
    }

    if (opts.predict) {
      const { simulate } = await import('../../sim/run.js');
      predicted = await simulate(scenario, { seed: s.seed }).result;
      const mismatch = predictWindowMismatch(scenario, s);
      if (mismatch)
        result.notComparable = {
          ...Object.fromEntries(Object.keys(result.journeys).map((j) => [j, mismatch])),
          ...result.notComparable,
        };
    }
    shown = { outcome, predicted, secs: ((performance.now() - t0) / 1000).toFixed(1) };
    // What was measured goes out before anything touches the disk, which may be full.
    const detail = board ? loadDetail(opts, shown, result) : '';
    if (board) board.note(detail);
    else printLoadResult(result, opts, shown);
    const reports = { scenario: scenario.name, predicted, wallSeconds: (performance.now() - t0) / 1000 };
    written = writeLoadReports(result, opts, reports, !board);
  } catch (err) {
    await board?.finish(result);
    throw err;
  }
  const { error, listing } = written;
  const clinicLine = profileReport ? `clinic ${profile} report: ${profileReport}\n` : undefined;
  if (board) {
    const above = {
      notices: notices !== '',
      uncorrected: Boolean(outcome && !opts.max),
      predicted: !!predicted,
    };
    const end = { above, finished: finishedLine(result, shown.secs), listing, profile: clinicLine };
    const failures = failureLines(result, behind, opts.allowLate);
    await board.finish(result, belowFrame(result, { ...end, failures }, process.stdout.columns));
  } else if (clinicLine) process.stderr.write(clinicLine);
  await exporter?.close();
  if (error) throw error;
  if (left?.traces.error) throw left.traces.error;
  // Said again last, where a CI log's reader looks for why the job failed.
  if (behind && !opts.allowLate) {
    process.stderr.write(failureLines(result, behind, opts.allowLate));
    return EXIT.run;
  }
  return verdictExit(result);
}

/** Registers `load`. */
export function register(program: Command): void {
  loadOptions(metricsOptions(program.command('load')))
    .description(
      'load-test live endpoints from a scenario (autocannon in-process or k6), optionally its twin',
    )
    .argument('<scenario>', 'scenario file or catalog name')
    .argument('[command...]', 'with --profile: the target command, after `--` (e.g. -- node server.js)')
    .action(async (scenario: string, command: string[], opts: LoadCommandOptions) => {
      process.exitCode = await loadCommand(scenario, opts, command);
    });
}
