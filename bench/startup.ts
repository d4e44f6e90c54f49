/**
 * `startup`: wall time from spawn to exit of `backline --version` and `backline validate mmc` (target
 * ≤ 0.3 s each), beside bare `node` and `backline --help` (which still loads every command), medians
 * of alternating runs so machine load drifts across all of them alike. Each case is also given as
 * the difference and ratio to bare `node -e 0` of the same run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));

const CASES: Record<string, string[]> = {
  node: ['-e', '0'],
  version: [MAIN, '--version'],
  validateMmc: [MAIN, 'validate', 'mmc'],
  helpAllCommands: [MAIN, '--help'],
};

function wallMs(args: string[]): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall milliseconds of each case over `rounds` alternating runs. */
export function benchStartup(rounds = 9): Record<string, unknown> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(CASES).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++)
    for (const [name, args] of Object.entries(CASES)) times[name].push(wallMs(args));
  const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
  // What backline adds over starting Node at all, measured in the same alternating rounds: the part
  // of the time imports can cut (bare node's start is the floor on a loaded machine).
  const overNode = (k: string) => ({ ms: ms[k] - ms.node, ratio: Math.round((ms[k] / ms.node) * 100) / 100 });
  return {
    bench: 'startup',
    rounds,
    medianMs: ms,
    overNode: { version: overNode('version'), validateMmc: overNode('validateMmc') },
    targetMs: 300,
  };
}
