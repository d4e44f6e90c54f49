/**
 * The `backline` program: the commander set-up and the one place a command's outcome becomes the
 * process exit code. Shared by the full command line (`main.ts`, every command on demand) and the
 * code-cached quick path (`quick-commands.ts`), so both parse, print and exit alike.
 */
import { Command, CommanderError } from 'commander';
import { EXIT, reportError } from './exit.js';
import { VERSION } from './version.js';

/** Registers the commands this run needs on `program`. */
export type RegisterAll = (program: Command) => void | Promise<void>;

/** Parses `argv` (with node and the script) after `register` and sets `process.exitCode`. */
export async function runProgram(argv: readonly string[], register: RegisterAll): Promise<void> {
  const program = new Command()
    .name('backline')
    .description('Rehearse a distributed backend before the show: simulate, load-test and gate a scenario.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await register(program);
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? EXIT.pass : EXIT.input;
    else process.exitCode = reportError(err);
  }
}
