#!/usr/bin/env node
/**
 * The `backline` command line. Each command lives in `commands/<name>.ts` and registers itself;
 * heavy modules (Ink, d3, autocannon) are imported inside actions so start-up stays fast.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { EXIT, reportError } from './exit.js';

const program = new Command()
  .name('backline')
  .description('Rehearse a distributed backend before the show: simulate, load-test and gate a scenario.')
  .version('0.1.0')
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

try {
  await registerCommands(program, process.argv.slice(2));
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? EXIT.pass : EXIT.input;
  else process.exitCode = reportError(err);
}
