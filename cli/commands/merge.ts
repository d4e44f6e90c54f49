/**
 * `backline merge <files|dirs|globs…>`: the import command for k6 and for many runners. Inputs are
 * recognised by content: k6 `--out json` NDJSON (plain or gzipped), `--summary-export` and
 * `handleSummary` JSON, backline RunResults, or the partial results of a sharded sweep. Runners
 * merge into one RunResult with exact percentiles over all of them and budgets checked on the
 * whole (`--scenario` supplies them); sweep shards merge into the sweep. Refused lines are
 * reported as `file:line  message` and counted; pointless input is exit 2.
 */
import type { Command } from 'commander';
import { expandInputs, readInput } from '../../loadtests/k6/inputs.js';
import { classifyInput, mergeOutputs } from '../../loadtests/k6/merge.js';
import { UsageError } from '../../results/errors.js';
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

/** At most this many refused lines are listed one by one. */
const SHOWN_ISSUES = 20;

/** Runs `merge` and returns the exit code. */
export async function mergeCommand(args: string[], opts: MergeCommandOptions): Promise<number> {
  if (args.length === 0) throw new UsageError('merge needs at least one file, directory or glob');
  const files = expandInputs(args);
  const inputs = files.map((file) => classifyInput({ file, text: readInput(file) }));
  const sweeps = inputs.filter((i) => i.kind === 'sweep');
  if (sweeps.length > 0) {
    if (sweeps.length !== inputs.length)
      throw new UsageError('merge takes either sweep shards or load runners, not both');
    const { mergeSweepCommand } = await import('./sweep.js');
    return mergeSweepCommand(sweeps, opts);
  }
  const scenario = opts.scenario ? loadScenario(opts.scenario, opts.set) : undefined;
  const { result, issues, notes } = mergeOutputs(inputs, {
    scenario: scenario?.name ?? 'merged',
    hash: scenario ? scenarioHash(scenario) : '',
    budgets: scenario?.budgets ?? [],
  });
  for (const i of issues.slice(0, SHOWN_ISSUES)) process.stderr.write(`${i.file}:${i.line}  ${i.message}\n`);
  if (issues.length > SHOWN_ISSUES) process.stderr.write(`… ${issues.length - SHOWN_ISSUES} more\n`);
  if (issues.length) process.stderr.write(`${issues.length} line(s) refused in total\n`);
  for (const n of notes) process.stderr.write(`${n}\n`);
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
    .description(
      'merge k6 outputs (NDJSON, .gz, summary JSON) or RunResults of many runners into one result, or sweep shards into one sweep',
    )
    .argument('<inputs...>', 'files, directories or globs (`results/*.ndjson.gz`)')
    .option('--scenario <scenario>', 'scenario whose budgets to check')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
    .option('--json', 'print the merged result as JSON')
    .option('--out <file>', 'also write the merged result to this file (atomically)')
    .action(async (files: string[], opts: MergeCommandOptions) => {
      process.exitCode = await mergeCommand(files, opts);
    });
}
