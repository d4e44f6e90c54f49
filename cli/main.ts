#!/usr/bin/env node
/**
 * The `backline` command line. Commands are loaded lazily, one file each, so start-up stays fast.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, reportError } from './exit.js';

const program = new Command()
  .name('backline')
  .description('Rehearse a distributed backend before the show: simulate, load-test and gate a scenario.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

/** Repeatable `--set key=value`. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

program
  .command('sim')
  .description('simulate a scenario (path or catalog name) and print a summary')
  .argument('<scenario>', 'scenario file or catalog name')
  .option('--json', 'print the RunResult as JSON on stdout')
  .option('--seed <n>', 'master seed (overrides the scenario)')
  .option('--replications <n>', 'independent replications (overrides the scenario)')
  .option('--set <key=value>', 'override a scenario value (repeatable)', collect, [])
  .action(async (scenario: string, opts) => {
    const { simCommand } = await import('./commands/sim.js');
    process.exitCode = await simCommand(scenario, opts);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? EXIT.pass : EXIT.input;
      return;
    }
    process.exitCode = reportError(err);
  }
}

await main();
