/**
 * The commands that only read a scenario (`validate`), built a second time by `bundle.ts` as one
 * CommonJS file that `main.ts` runs through a V8 code cache (`code-cache.ts`): Node 20 has no
 * compile cache for ES modules, and compiling zod, yaml and the schema code at every start was
 * about a sixth of `validate`'s time.
 */
// First: zod's setting must precede the schemas that validate.js builds.
import './zod-jitless.js';
import type { Command } from 'commander';
import { register as validate } from './commands/validate.js';
import { runProgram } from './program.js';

/** Each quick command's registration, by the name `QUICK_COMMANDS` lists. */
export const quickCommands: Record<string, (program: Command) => void> = { validate };

/** Runs `backline <quick command> …` (`argv` with node and the script). */
export function run(argv: readonly string[]): Promise<void> {
  const register = quickCommands[argv[2]];
  return runProgram(argv, register);
}
