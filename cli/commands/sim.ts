/**
 * `backline sim <scenario>`: simulate and print a readable summary, or the RunResult with --json.
 */
import type { Command } from 'commander';
import { loadScenario } from '../../scenarios/load.js';
import { simulate } from '../../sim/run.js';
import { EXIT } from '../exit.js';
import { formatSummary } from '../format.js';
import { intOption, scenarioOptions } from '../options.js';

/** Options of `sim`. */
export interface SimCommandOptions {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
}

/** Runs `sim` and returns the exit code. */
export async function simCommand(arg: string, opts: SimCommandOptions): Promise<number> {
  const seed = intOption('seed', opts.seed);
  const replications = intOption('replications', opts.replications, 1);
  const scenario = loadScenario(arg, opts.set);
  const run = simulate(scenario, { seed, replications });
  const progress = !opts.json && process.stderr.isTTY;
  if (progress) {
    run.on('snapshot', (s) => {
      const pct = ((s.replication + s.time / s.duration) / s.replications) * 100;
      process.stderr.write(`\rsimulating ${scenario.name}: ${pct.toFixed(0)} %  `);
    });
  }
  const onSigint = () => run.stop();
  process.once('SIGINT', onSigint);
  const result = await run.result;
  process.off('SIGINT', onSigint);
  if (progress) process.stderr.write('\r\x1b[K');
  process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatSummary(result));
  return EXIT.pass;
}

/** Registers `sim`. */
export function register(program: Command): void {
  scenarioOptions(
    program
      .command('sim')
      .description('simulate a scenario (path or catalog name) and print a summary')
      .argument('<scenario>', 'scenario file or catalog name'),
  ).action(async (scenario: string, opts: SimCommandOptions) => {
    process.exitCode = await simCommand(scenario, opts);
  });
}
