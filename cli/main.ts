#!/usr/bin/env node
/**
 * The `backline` command line. Each command lives in `commands/<name>.ts` and registers itself;
 * heavy modules (Ink, d3, autocannon) are imported inside actions so start-up stays fast.
 * `--version` answers before anything loads, and the commands that only read a scenario run from
 * a code-cached bundle when the build made one (`code-cache.ts`, `bundle.ts`).
 */
import { QUICK_COMMANDS } from './quick-names.js';
import { VERSION } from './version.js';

const args = process.argv.slice(2);
// Imported here, not at the top: `--version` then loads neither node:vm nor the cache.
const quick = QUICK_COMMANDS.includes(args[0])
  ? (await import('./code-cache.js')).requireCached(
      new URL('quick-commands.cjs', import.meta.url),
      new URL(import.meta.url),
    )
  : undefined;

if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else if (quick) await (quick.run as (argv: readonly string[]) => Promise<void>)(process.argv);
else {
  const [{ runProgram }, { registerCommands }] = await Promise.all([
    import('./program.js'),
    import('./commands/index.js'),
  ]);
  await runProgram(process.argv, (program) => registerCommands(program, args));
}
