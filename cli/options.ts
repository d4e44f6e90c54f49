/**
 * Parsing of shared command-line values into typed numbers, with usage errors that say what is wrong.
 */
import type { Command } from 'commander';
import { UsageError } from '../results/errors.js';

/** A non-negative integer option such as `--seed 7`. */
export function intOption(name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} expects an integer ≥ ${min}, got \`${value}\``);
  return n;
}

/** Repeatable option collector (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The options every scenario-running command shares: --seed, --replications, --set, --json. */
export function scenarioOptions(cmd: Command): Command {
  return cmd
    .option('--json', 'print the RunResult as JSON on stdout')
    .option('--seed <n>', 'master seed (overrides the scenario)')
    .option('--replications <n>', 'independent replications (overrides the scenario)')
    .option('--set <key=value>', 'override a scenario value (repeatable)', collect, []);
}

/**
 * Parses `--trace-sample`: a percentage (`1%`, `0.5%`) or a share (`0.01`), within 0..1; `fallback`
 * when not given.
 */
export function traceSampleOption(value: string | undefined, fallback = 0.01): number {
  if (value === undefined) return fallback;
  const pct = value.endsWith('%');
  const n = Number(pct ? value.slice(0, -1) : value) / (pct ? 100 : 1);
  if (value.trim() === '' || !(n >= 0 && n <= 1)) {
    throw new UsageError(`--trace-sample expects a share like 1% or 0.01 (0..100%), got \`${value}\``);
  }
  return n;
}
