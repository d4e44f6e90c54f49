/**
 * Every command, in help order. A command module exports `register(program)`. Modules are imported
 * on demand: a run of one command loads only that command's code, so `backline validate` does not pay
 * for d3, faker or the simulator (see `startCommands`).
 */
import type { Command } from 'commander';

/** Registers one command on the program. */
export type Register = (program: Command) => void;

type Loader = () => Promise<{ register: Register }>;

const loaders: Record<string, Loader> = {
  run: () => import('./run.js'),
  sim: () => import('./sim.js'),
  load: () => import('./load.js'),
  serve: () => import('./serve.js'),
  k6: () => import('./k6.js'),
  merge: () => import('./merge.js'),
  check: () => import('./check.js'),
  compare: () => import('./compare.js'),
  report: () => import('./report.js'),
  history: () => import('./history.js'),
  sweep: () => import('./sweep.js'),
  capacity: () => import('./capacity.js'),
  calibrate: () => import('./calibrate.js'),
  validate: () => import('./validate.js'),
  schema: () => import('./schema.js'),
  list: () => import('./list.js'),
};

/** The command names, in help order. */
export const commandNames = Object.keys(loaders);

/**
 * Registers what this command line needs: only the named command when `args` (argv without node and
 * the script) starts with one, nothing for `--version`, and every command otherwise (help, a typo
 * that gets a suggestion, no command at all).
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const first = args[0];
  if (first === '--version' || first === '-V') return;
  const names = first !== undefined && Object.hasOwn(loaders, first) ? [first] : commandNames;
  const modules = await Promise.all(names.map((n) => loaders[n]()));
  for (const m of modules) m.register(program);
}
