/**
 * `backline report <result.json> [--predicted other.json] [--out DIR]`: renders the reports from a
 * saved result (e.g. a load test's, with the simulation's as predicted). Also {@link readResult},
 * the one way commands read a RunResult file.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import type { SweepResult } from '../../results/sweep.js';
import { EXIT } from '../exit.js';

/**
 * Reads and checks a RunResult file. A missing, unparsable or foreign file is bad input (exit 2),
 * with a message naming the file and what is wrong.
 */
export function readResult(path: string, what = 'result'): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read the ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path}: not JSON (${(err as Error).message})`);
  }
  const r = data as Partial<RunResult> | null;
  if (
    !r ||
    typeof r !== 'object' ||
    r.version !== 1 ||
    (r.kind !== 'sim' && r.kind !== 'load') ||
    typeof r.scenario?.name !== 'string' ||
    typeof r.journeys !== 'object' ||
    r.journeys === null
  )
    throw new UsageError(
      `${path}: not a backline result (expected version 1 with kind, scenario and journeys)`,
    );
  if (!Array.isArray(r.budgets)) r.budgets = [];
  return r as RunResult;
}

/** The sweep in `path` when it holds one (`kind: "sweep"`), else undefined. */
function readSweep(path: string): SweepResult | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // readResult says what is wrong.
  }
  const s = data as Partial<SweepResult> | null;
  if (s?.kind !== 'sweep') return undefined;
  if (s.version !== 1 || !Array.isArray(s.vary) || !Array.isArray(s.points))
    throw new UsageError(`${path}: not a backline sweep (expected version 1 with vary and points)`);
  if (s.shard) throw new UsageError(`${path}: one shard of a sweep; \`backline merge\` all shards first`);
  return s as SweepResult;
}

/** Options of `report`. */
export interface ReportCommandOptions {
  predicted?: string;
  out?: string;
  json?: boolean;
}

/** Runs `report` and returns the exit code. */
export async function reportCommand(file: string, opts: ReportCommandOptions): Promise<number> {
  const sweep = readSweep(file);
  if (sweep) {
    const { writeSweepReport } = await import('./sweep.js');
    const path = writeSweepReport(sweep, file, opts.out);
    process.stdout.write(opts.json ? `${JSON.stringify({ reports: [path] }, null, 2)}\n` : `${path}\n`);
    return EXIT.pass;
  }
  const result = readResult(file);
  const predicted = opts.predicted ? readResult(opts.predicted, 'predicted result') : undefined;
  const { writeReports } = await import('../write-reports.js');
  const paths = writeReports(result, { outDir: opts.out, scenario: result.scenario.name, predicted });
  process.stdout.write(
    opts.json ? `${JSON.stringify({ reports: paths }, null, 2)}\n` : `${paths.join('\n')}\n`,
  );
  return EXIT.pass;
}

/** Registers `report`. */
export function register(program: Command): void {
  program
    .command('report')
    .description('render result.json, report.html, junit.xml and summary.md from a saved result')
    .argument('<result>', 'a RunResult JSON file (from --json or a report folder), or a sweep.json')
    .option('--predicted <file>', 'a second result drawn as predicted beside this one')
    .option('--out <dir>', 'output folder (default out/<scenario>-<run id>)')
    .option('--json', 'print the written paths as JSON')
    .action(async (file: string, opts: ReportCommandOptions) => {
      process.exitCode = await reportCommand(file, opts);
    });
}
