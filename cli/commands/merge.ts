/**
 * `backline merge a.ndjson b.ndjson …`: many runners' outputs (k6 `--out json` NDJSON or backline
 * RunResult JSON) → one RunResult with exact percentiles over all of them, budgets checked on the
 * whole (`--scenario` supplies them). Malformed lines are reported as `file:line  message` and
 * skipped. Exit 1 when a budget failed.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { mergeOutputs } from '../../loadtests/k6/merge.js';
import { RunError, UsageError } from '../../results/errors.js';
import { loadScenario, scenarioHash } from '../../scenarios/load.js';
import { verdictExit } from '../exit.js';
import { formatSummary } from '../format.js';
import { collect } from '../options.js';
import { writeAtomic } from '../write-reports.js';

/** Options of `merge`. */
export interface MergeCommandOptions {
  scenario?: string;
  set: string[];
  json?: boolean;
  out?: string;
}

/** Runs `merge` and returns the exit code. */
export async function mergeCommand(files: string[], opts: MergeCommandOptions): Promise<number> {
  if (files.length === 0) throw new UsageError('merge needs at least one NDJSON or RunResult file');
  const scenario = opts.scenario ? loadScenario(opts.scenario, opts.set) : undefined;
  const inputs = files.map((f) => {
    try {
      return { file: basename(f), text: readFileSync(f, 'utf8') };
    } catch (e) {
      throw new RunError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  });
  const { result, issues } = mergeOutputs(inputs, {
    scenario: scenario?.name ?? 'merged',
    hash: scenario ? scenarioHash(scenario) : '',
    budgets: scenario?.budgets ?? [],
  });
  for (const i of issues) process.stderr.write(`${i.file}:${i.line}  ${i.message}\n`);
  const json = `${JSON.stringify(result, null, 2)}\n`;
  if (opts.out) {
    writeAtomic(opts.out, json);
    process.stderr.write(`wrote ${opts.out}\n`);
  }
  process.stdout.write(opts.json ? json : formatSummary(result));
  return verdictExit(result);
}

/** Registers `merge`. */
export function register(program: Command): void {
  program
    .command('merge')
    .description('merge k6 NDJSON outputs or RunResults of many runners into one result and check budgets')
    .argument('<files...>', 'k6 --out json files (.ndjson) or RunResult .json files')
    .option('--scenario <scenario>', 'scenario whose budgets to check')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--json', 'print the merged RunResult as JSON')
    .option('--out <file>', 'also write the merged RunResult to this file (atomically)')
    .action(async (files: string[], opts: MergeCommandOptions) => {
      process.exitCode = await mergeCommand(files, opts);
    });
}
