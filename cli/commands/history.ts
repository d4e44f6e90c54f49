/**
 * `backline history [scenario]`: the recorded runs, oldest first, with each journey's p99 and a
 * trend arrow against the previous run of the same scenario. Also the shared `--history PATH` /
 * `--no-history` options and {@link recordRun}, which `sim` and `check` call after every run.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { HistoryRun, RunMeta } from '../../results/history.js';
import type { RunResult } from '../../results/run-result.js';
import { EXIT } from '../exit.js';
import { table } from '../format.js';
import { intOption } from '../options.js';

/** Where runs are recorded unless `--history PATH` or `BACKLINE_HISTORY` says otherwise. */
export const DEFAULT_HISTORY = '.backline/history.db';

/** The default database: `BACKLINE_HISTORY` when set (the test suite points it at a temporary file). */
export function defaultHistory(): string {
  return process.env.BACKLINE_HISTORY || DEFAULT_HISTORY;
}

/** `--history PATH` gives a string, `--no-history` gives false, neither gives undefined. */
export type HistoryFlag = string | boolean | undefined;

/** Adds `--history PATH` and `--no-history` to a command. */
export function historyOptions(cmd: Command): Command {
  return cmd
    .option('--history <path>', `record the run in this SQLite database (default ${DEFAULT_HISTORY})`)
    .option('--no-history', 'do not record the run');
}

/** The database path a flag selects, or undefined when recording is off. */
export function historyPath(flag: HistoryFlag): string | undefined {
  if (flag === false) return undefined;
  return typeof flag === 'string' ? flag : defaultHistory();
}

/**
 * Records a run in the history. A history that cannot be written does not fail the run (its
 * result and reports matter more): it is reported on stderr and the run id is undefined.
 */
export async function recordRun(
  flag: HistoryFlag,
  result: RunResult,
  meta: Omit<RunMeta, 'at'>,
  stderr: NodeJS.WritableStream = process.stderr,
): Promise<number | undefined> {
  const path = historyPath(flag);
  if (!path) return undefined;
  // SQLite is loaded only when a run is recorded, so other commands start without it.
  const { HistoryStore } = await import('../../results/history.js');
  let store: ReturnType<typeof HistoryStore.open> | undefined;
  try {
    store = HistoryStore.open(path);
    return store.record(result, { ...meta, at: new Date().toISOString() });
  } catch (err) {
    stderr.write(`backline: run not recorded in ${path}: ${(err as Error).message}\n`);
    return undefined;
  } finally {
    store?.close();
  }
}

/** Options of `history`. */
export interface HistoryCommandOptions {
  history?: HistoryFlag;
  limit?: string;
  json?: boolean;
}

/** Runs `history` and returns the exit code. */
export async function historyCommand(
  scenario: string | undefined,
  opts: HistoryCommandOptions,
): Promise<number> {
  const limit = intOption('limit', opts.limit, 1) ?? 50;
  const path = historyPath(opts.history) ?? defaultHistory();
  if (!existsSync(path)) {
    if (opts.json) process.stdout.write('[]\n');
    else process.stdout.write(`no runs recorded yet (${path} does not exist)\n`);
    return EXIT.pass;
  }
  const { HistoryStore, trends } = await import('../../results/history.js');
  const store = HistoryStore.open(path);
  try {
    const runs = store.list(scenario, limit);
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify(
          runs.map((r, i) => ({ ...r, trend: trends(runs, i) })),
          null,
          2,
        )}\n`,
      );
      return EXIT.pass;
    }
    if (runs.length === 0) {
      process.stdout.write(
        scenario ? `no runs of ${scenario} recorded in ${path}\n` : `no runs recorded in ${path}\n`,
      );
      return EXIT.pass;
    }
    process.stdout.write(`${await formatHistory(runs)}\n`);
    return EXIT.pass;
  } finally {
    store.close();
  }
}

/** The history table: one row per run, one `p99 ms trend` column per journey (first six). */
export async function formatHistory(runs: readonly HistoryRun[]): Promise<string> {
  const { trends } = await import('../../results/history.js');
  const journeys: string[] = [];
  for (const r of runs) for (const j of r.journeys) if (!journeys.includes(j.name)) journeys.push(j.name);
  const shown = journeys.slice(0, 6);
  const rows = [
    [
      'run',
      'when (UTC)',
      'scenario',
      'command',
      'seed',
      'reps',
      'verdict',
      ...shown.map((j) => `${j} p99 ms`),
    ],
  ];
  runs.forEach((r, i) => {
    const t = trends(runs, i);
    const verdict =
      r.exitCode === null
        ? '-'
        : r.exitCode === 0
          ? 'pass'
          : r.exitCode === 1
            ? 'FAIL'
            : `exit ${r.exitCode}`;
    rows.push([
      String(r.id),
      r.at.replace('T', ' ').replace(/\.\d+Z$/, ''),
      r.scenario,
      r.command + (r.partial ? ' (partial)' : ''),
      r.seed === null ? '-' : String(r.seed),
      String(r.replications),
      r.budgetsFailed > 0 && verdict === '-' ? `${r.budgetsFailed} budget(s) failed` : verdict,
      ...shown.map((name) => {
        const j = r.journeys.find((x) => x.name === name);
        return j ? `${j.p99.toFixed(j.p99 < 10 ? 3 : 1)} ${t[name]}` : '-';
      }),
    ]);
  });
  return `${table(rows)}\n\n↑ p99 rose more than 1 % since the previous run with the same scenario hash (after --set), seed and replications · ↓ fell · → flat · · first run · ≠ earlier runs differ in hash, seed or replications: not compared`;
}

/** Registers `history`. */
export function register(program: Command): void {
  program
    .command('history')
    .description('list recorded runs with p99 trends (all scenarios, or one)')
    .argument('[scenario]', 'scenario name as recorded')
    .option('--history <path>', `the SQLite database (default ${DEFAULT_HISTORY})`)
    .option('--limit <n>', 'most recent runs to show (default 50)')
    .option('--json', 'print the runs as JSON')
    .action(async (scenario: string | undefined, opts: HistoryCommandOptions) => {
      process.exitCode = await historyCommand(scenario, opts);
    });
}
