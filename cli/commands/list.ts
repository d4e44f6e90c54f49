/**
 * `backline list`: the catalog of ready-made scenarios with what each one teaches.
 */
import type { Command } from 'commander';
import { listCatalog } from '../../scenarios/load.js';
import { EXIT } from '../exit.js';

/** Options of `list`. */
export interface ListCommandOptions {
  json?: boolean;
}

/** Runs `list` and returns the exit code. */
export function listCommand(opts: ListCommandOptions): number {
  const entries = listCatalog().map(({ name, about }) => ({ name, about }));
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return EXIT.pass;
  }
  const width = Math.max(0, ...entries.map((e) => e.name.length));
  const lines = entries.map((e) => `${e.name.padEnd(width)}  ${e.about}`.trimEnd());
  process.stdout.write(lines.length > 0 ? `${lines.join('\n')}\n` : 'the catalog is empty\n');
  return EXIT.pass;
}

/** Registers `list`. */
export function register(program: Command): void {
  program
    .command('list')
    .description('list the catalog of ready-made scenarios')
    .option('--json', 'print the catalog as JSON on stdout')
    .action((opts: ListCommandOptions) => {
      process.exitCode = listCommand(opts);
    });
}
