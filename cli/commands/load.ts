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

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { LoadOutcome, LoadRun } from '../../loadtests/autocannon/driver.js';
import { evaluateLoadBudgets } from '../../loadtests/budgets.js';
import { maskTarget } from '../../loadtests/mask.js';
import { CLINIC_TOOLS, type ClinicTool, type ProfiledTarget } from '../../loadtests/profile/clinic.js';
import { checkTarget } from '../../loadtests/safety.js';
import { resolveEnv, Secrets } from '../../loadtests/template.js';
import type { TwinProcess } from '../../loadtests/twin/process.js';
import { UsageError } from '../../results/errors.js';
import { behindMessage } from '../../results/generator-row.js';
import type { RunResult } from '../../results/run-result.js';
import { loadScenario, type Scenario, scenarioHash } from '../../scenarios/load.js';
import { parseDuration } from '../../scenarios/units.js';
import { comparisonTable } from '../comparison-table.js';
import type { LoadDashboard } from '../dashboard/load-live.js';
import { EXIT, verdictExit } from '../exit.js';
import { formatSummary, table } from '../format.js';
import { type MetricsFlags, metricsOptions, startExporter } from '../metrics-flags.js';
import { collect, intOption } from '../options.js';
import { attachLoadProgress } from '../progress.js';
import { defaultOutDir, writeReportsKeeping } from '../write-reports.js';
import { selectReactProduction, underCi } from './run.js';

/** Options of `load`. */
export interface LoadCommandOptions extends MetricsFlags {
  json?: boolean;
  seed?: string;
  set: string[];
  target?: string;
  tool?: string;
  twin?: boolean;
  predict?: boolean;
  port?: string;
  rate?: string;
  duration?: string;
  connections?: string;
  max?: boolean;
  warmup?: string;
  timeout?: string;
  out?: string;
  /** A clinic tool; the target command comes after `--`. */
  profile?: string;
  /** False with `--no-dashboard`. */
  dashboard?: boolean;
  /** Worker threads of the in-process driver; `allowLate` judges budgets of a late generator. */
  workers?: string;
  allowLate?: boolean;
}

function seconds(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  try {
    return parseDuration(/^\d+(\.\d+)?$/.test(v) ? `${v}s` : v);
  } catch {
    throw new UsageError(`--${name} expects a duration like 30s or 2m, got \`${v}\``);
  }
}

async function runK6Tool(
  scenario: Scenario,
  target: string,
  display: string,
  opts: LoadCommandOptions,
): Promise<RunResult> {
  const { k6Bundle } = await import('../../loadtests/k6/script.js');
  const { runK6 } = await import('../../loadtests/k6/runner.js');
  // The real target reaches k6 through its environment; the file holds only the masked one.
  const { script, files } = k6Bundle(scenario, {
    target: display,
    rate: opts.rate ? Number(opts.rate) : undefined,
    duration: seconds('duration', opts.duration),
  });
  const { result, issues } = await runK6({
    script,
    files,
    target,
    display,
    scenario: scenario.name,
    hash: scenarioHash(scenario),
  });
  for (const i of issues) process.stderr.write(`${i.file}:${i.line}  ${i.message}\n`);
  return result;
}

/** Runs `load` and returns the exit code; `command` is the target to start under `--profile`. */
export async function loadCommand(
  arg: string,
  opts: LoadCommandOptions,
  command: string[] = [],
): Promise<number> {
  const scenario = loadScenario(arg, opts.set);
  const profile = opts.profile as ClinicTool | undefined;
  if (profile === ('bubbleprof' as ClinicTool))
    throw new UsageError(
      '--profile bubbleprof is not offered: on Node 20+ clinic bubbleprof never stops its target (clinicjs/node-clinic#477); use doctor, flame or heapprofiler',
    );
  if (profile !== undefined && !CLINIC_TOOLS.includes(profile))
    throw new UsageError(`--profile expects one of ${CLINIC_TOOLS.join(', ')}, got \`${opts.profile}\``);
  if (profile && opts.twin)
    throw new UsageError('--profile starts its own target; it cannot be combined with --twin');
  if (profile && command.length === 0)
    throw new UsageError('--profile needs the target command after `--`, e.g. `-- node server.js`');
  if (!profile && command.length > 0)
    throw new UsageError(
      `unexpected arguments \`${command.join(' ')}\`: a target command is only taken with --profile`,
    );
  const seed = intOption('seed', opts.seed);
  const tool = opts.tool ?? scenario.load?.tool ?? 'autocannon';
  if (tool !== 'autocannon' && tool !== 'k6')
    throw new UsageError(`--tool expects autocannon or k6, got \`${tool}\``);
  const rate = opts.rate === undefined ? undefined : Number(opts.rate);
  if (rate !== undefined && !(rate > 0))
    throw new UsageError(`--rate expects a positive number per second, got \`${opts.rate}\``);
  const duration = seconds('duration', opts.duration);
  // The twin's first second sets up connections on both sides; leave it out unless told otherwise.
  const warmup = seconds('warmup', opts.warmup) ?? (opts.twin ? Math.min(1, (duration ?? 4) / 4) : 0);
  const timeout = seconds('timeout', opts.timeout);
  const connections = intOption('connections', opts.connections, 1);
  // Not given: cores - 1 (- 1 more for a twin), fewer when the load is light or short (printed).
  const workers =
    opts.workers === undefined
      ? { auto: true as const, cores: availableParallelism(), twin: Boolean(opts.twin) }
      : intOption('workers', opts.workers, 1);
  const port = intOption('port', opts.port, 0);
  // k6 reports only at its end; the dashboard follows the in-process driver's snapshots.
  const dashboard =
    tool === 'autocannon' &&
    !opts.json &&
    opts.dashboard !== false &&
    Boolean(process.stdout.isTTY) &&
    !underCi();
  if (dashboard) selectReactProduction();
  const live = dashboard ? await import('../dashboard/load-live.js') : undefined;

  let twin: TwinProcess | undefined;
  if (opts.twin) {
    // Its own process: the generator's work must not delay the twin's timers, nor the reverse.
    const { spawnTwin } = await import('../../loadtests/twin/process.js');
    const tracing = opts.otlp ? { tracing: { otlp: opts.otlp } } : {}; // the twin's spans, same collector
    twin = await spawnTwin(scenario, { port, seed, figures: Boolean(opts.metrics || opts.otlp), ...tracing });
    if (!opts.json) {
      const { describeUnserved } = await import('../../loadtests/twin/unserved.js');
      process.stderr.write(
        `twin serving ${scenario.name} at ${twin.endpoints.url} (process ${twin.pid})\n${describeUnserved(twin.unserved)}`,
      );
    }
  }
  let profiled: ProfiledTarget | undefined;
  const profileDir = join(opts.out ?? join('.backline', 'clinic'), opts.out ? 'clinic' : '');
  if (profile) {
    const { startProfiled } = await import('../../loadtests/profile/clinic.js');
    // The scenario's target names a deployment; the profiled server is the one started here.
    const given = opts.target === undefined ? undefined : resolveEnv(opts.target, new Secrets());
    // The allow-list holds before anything starts: a profiled target is loaded like any other.
    if (given) await checkTarget(given, scenario.load?.allow ?? []);
    profiled = await startProfiled({
      tool: profile,
      command,
      dest: profileDir,
      target: given,
      // The dashboard owns the terminal; clinic's chatter would tear its frames.
      log: opts.json || dashboard ? undefined : process.stderr,
    });
    if (!opts.json)
      process.stderr.write(`clinic ${profile} profiling ${command.join(' ')} at ${profiled.url}\n`);
  }
  const raw = twin?.endpoints.url ?? profiled?.url ?? opts.target ?? scenario.load?.target;
  const secrets = new Secrets();
  const target = raw === undefined ? undefined : resolveEnv(raw, secrets);
  if (!target)
    throw new UsageError('no load target: set `load.target` in the scenario, pass --target, or use --twin');
  const exporter = await startExporter(opts, { kind: 'load', scenario: scenario.name });
  if (twin) exporter?.followTwin(twin.figures.bind(twin));
  const t0 = performance.now();
  let result: RunResult;
  let outcome: LoadOutcome | undefined;
  let services: RunResult['services'];
  let faults: RunResult['faults'];
  let board: LoadDashboard | undefined;
  let finishProgress: ((r: RunResult) => void) | undefined;
  try {
    if (tool === 'k6') {
      await checkTarget(target, scenario.load?.allow ?? []);
      result = await runK6Tool(scenario, target, maskTarget(target, secrets), opts);
    } else {
      const { startLoad } = await import('../../loadtests/autocannon/driver.js');
      // The driver resolves `${env.…}` itself so the result can redact it.
      const run: LoadRun = startLoad(scenario, {
        target: raw,
        seed,
        rate,
        duration,
        connections,
        warmup,
        timeout,
        workers,
        mode: opts.max ? 'max' : 'scenario',
      });
      exporter?.follow(run);
      if (live) {
        board = live.mountLoadDashboard(run, {
          scenario,
          seed: seed ?? scenario.seed,
          mode: opts.max ? { kind: 'max', connections } : { kind: 'open' },
          twin,
          warmup,
          stdout: process.stdout,
        });
        const b = board;
        run.on('start', (plan) => {
          const s = plan.schedule;
          b.setMode(
            opts.max
              ? { kind: 'max', connections: plan.connections }
              : s.kind === 'open'
                ? { kind: 'open' }
                : { kind: 'closed', users: s.users },
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
        outcome = await run.outcome;
      } finally {
        process.off('SIGINT', onSigint);
      }
      result = outcome.result;
    }
  } catch (err) {
    // Give the terminal back before the error is printed (an unreachable target, say).
    await board?.cancel();
    profiled?.kill();
    await exporter?.close(0);
    throw err;
  } finally {
    if (twin) {
      // Only the faults that fired: a run stopped early never saw the later ones. The service
      // counters are the twin's last snapshot, sent as it stops.
      const now = twin.now();
      faults = twin.faults.filter((f) => f.at <= now);
      await twin.stop();
      services = twin.services();
    }
  }
  if (services) result.services = services;
  if (faults?.length) result.faults = faults;
  const notComparable = Object.fromEntries(
    (twin?.unserved ?? []).flatMap((u) => u.journeys.map((j) => [j, `${u.part} is not served by the twin`])),
  );
  if (Object.keys(notComparable).length > 0) result.notComparable = notComparable;
  // A generator that fell behind distorts every number: its budgets are not judged (exit 3 below)
  // unless --allow-late says to judge them anyway.
  const behind = result.generator?.behind ? result.generator : undefined;
  result.budgets = behind && !opts.allowLate ? [] : evaluateLoadBudgets(result, scenario.budgets);
  exporter?.finish(result);
  if (board) await board.finish(result, linesAfterBoard(result, opts));
  else finishProgress?.(result);
  if (behind)
    process.stderr.write(`backline: ${opts.allowLate ? 'warning: ' : ''}${behindMessage(behind)}\n`);
  // After the dashboard's last frame: clinic's analysis takes seconds and says so on stderr.
  let profileReport: string | undefined;
  if (profiled && profile) {
    if (!opts.json)
      process.stderr.write(`stopping the target; clinic ${profile} is analysing (this takes a while)\n`);
    profileReport = (await profiled.stop()).report;
    result.profile = { tool: `clinic ${profile}`, report: profileReport };
  }

  let predicted: RunResult | undefined;
  if (opts.predict) {
    const { simulate } = await import('../../sim/run.js');
    predicted = await simulate(scenario, { seed }).result;
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  // What was measured goes out before anything touches the disk, which may be full.
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    // The dashboard's last frame already shows the journeys; say only what failed.
    if (!board) process.stdout.write(formatSummary(result));
    else {
      const failed = result.budgets.filter((b) => b.pass === false);
      if (failed.length > 0) process.stdout.write(`budget failed: ${failed.map((b) => b.expr).join(', ')}\n`);
    }
    if (outcome && !opts.max) {
      const rows = [['journey', 'uncorrected p50 ms', 'uncorrected p99 ms']];
      for (const [n, u] of Object.entries(outcome.uncorrected))
        rows.push([n, u.p50.toFixed(1), u.p99.toFixed(1)]);
      process.stdout.write(
        `\nlatency from the actual send (not corrected for coordinated omission):\n${table(rows)}\n`,
      );
    }
    if (predicted)
      process.stdout.write(`\npredicted (simulation) vs measured:\n${comparisonTable(predicted, result)}\n`);
    process.stdout.write(`${result.partial ? 'stopped early after' : 'finished in'} ${secs}s\n`);
  }
  const { paths, error } =
    opts.out || predicted
      ? writeReportsKeeping(result, {
          outDir: opts.out ?? defaultOutDir(scenario.name, result),
          scenario: scenario.name,
          predicted,
          resultOnStdout: Boolean(opts.json),
          wallSeconds: (performance.now() - t0) / 1000,
        })
      : { paths: [], error: undefined };
  if (opts.json) for (const p of paths) process.stderr.write(`wrote ${p}\n`);
  else if (paths.length) process.stdout.write(`reports:\n${paths.map((p) => `  ${p}\n`).join('')}`);
  if (profileReport) process.stderr.write(`clinic ${profile} report: ${profileReport}\n`);
  await exporter?.close();
  if (error) throw error;
  // Said again last, where a CI log's reader looks for why the job failed.
  if (behind && !opts.allowLate) process.stderr.write(`backline: run failed: ${behindMessage(behind)}\n`);
  if (behind && !opts.allowLate) return EXIT.run;
  return verdictExit(result);
}

/** Registers `load`. */
export function register(program: Command): void {
  metricsOptions(program.command('load'))
    .description(
      'load-test live endpoints from a scenario (autocannon in-process or k6), optionally its twin',
    )
    .argument('<scenario>', 'scenario file or catalog name')
    .argument('[command...]', 'with --profile: the target command, after `--` (e.g. -- node server.js)')
    .option('--json', 'print the RunResult as JSON on stdout')
    .option('--seed <n>', 'seed of journey choice and templates (overrides the scenario)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--target <url>', 'base URL to load (overrides load.target; must be loopback or in load.allow)')
    .option('--tool <name>', 'autocannon (in-process driver) or k6')
    .option('--twin', 'serve the scenario on loopback and load that')
    .option('--predict', 'also simulate the scenario and report predicted beside measured')
    .option('--port <n>', 'port of the twin (default: any free port)')
    .option('--rate <n>', 'constant offered rate per second instead of the profile')
    .option('--duration <d>', 'how long to load (e.g. 30s; bounded by load.maxDuration)')
    .option('--connections <n>', 'keep-alive connections (overrides load.connections)')
    .option('--max', 'closed-loop maximum throughput on autocannon instead of the profile')
    .option('--warmup <d>', 'leading time whose requests are sent but not measured (default 1s with --twin)')
    .option('--timeout <d>', 'per-request timeout (default 10s)')
    .option(
      '--workers <n>',
      'generator threads, each a slice of the arrivals (default: cores - 1, - 1 more with --twin, fewer for a light or short run)',
    )
    .option('--allow-late', 'judge the budgets even when the generator fell behind (warn instead of exit 3)')
    .option('--out <dir>', 'write the reports into this directory')
    .option(
      '--profile <tool>',
      `start the target command under clinic (${CLINIC_TOOLS.join(', ')}) while the load runs`,
    )
    .option(
      '--no-dashboard',
      'print plain progress lines instead of the live dashboard (q stops, keeps partial)',
    )
    .action(async (scenario: string, command: string[], opts: LoadCommandOptions) => {
      process.exitCode = await loadCommand(scenario, opts, command);
    });
}

/** Lines `load` prints under the dashboard's last frame, which is that much shorter to keep its header. */
function linesAfterBoard(r: RunResult, opts: LoadCommandOptions): number {
  const journeys = Object.keys(r.journeys).length;
  const failed = r.budgets.some((b) => b.pass === false) ? 1 : 0;
  const uncorrected = opts.max ? 0 : 3 + journeys;
  const predicted = opts.predict ? 4 + journeys : 0;
  const reports = opts.out || opts.predict ? 5 : 0;
  return failed + uncorrected + predicted + 1 + reports;
}
