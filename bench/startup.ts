/**
 * `startup`: wall time from spawn to exit of `backline --version` and `backline validate mmc` (target
 * ≤ 0.3 s each; robustly ≤ 1.3× and ≤ 1.8× bare `node`), beside bare `node` and `backline --help`
 * (which still loads every command), medians of alternating runs so machine load drifts across all
 * of them alike. Each case is also given as the difference and ratio to bare `node -e 0` of the same
 * run. `validate` runs from a code-cached bundle: the line says whether V8 accepted the cache, since
 * a rejected one (a build by another Node) makes the number not comparable.
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
  const r = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, BACKLINE_CODE_CACHE: '' },
  });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What V8 did with `validate`'s code cache: accepted, rejected or none. */
function codeCache(): string {
  const r = spawnSync(process.execPath, CASES.validateMmc, {
    encoding: 'utf8',
    env: { ...process.env, BACKLINE_CODE_CACHE: 'report' },
  });
  return /code cache: (\w+)/.exec(r.stderr)?.[1] ?? 'not used';
}

/** Median wall milliseconds of each case over `rounds` alternating runs. */
export function benchStartup(rounds = 15): Record<string, unknown> {
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
    targetOverNode: { version: 1.3, validateMmc: 1.8 },
    codeCache: codeCache(),
  };
}
