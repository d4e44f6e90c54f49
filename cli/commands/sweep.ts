/**
 * `backline sweep <scenario> --vary key=values …`: runs every point of a grid of `--set` overrides
 * on worker threads (one per core by default), each with a seed derived from the sweep's seed and
 * the point itself, so the same grid gives the same numbers whatever the number of workers. Prints
 * a table (or the {@link SweepResult} with `--json`) and writes `sweep.json` into `--out`.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { RunError, UsageError } from '../../results/errors.js';
import type { SweepResult } from '../../results/sweep.js';
import { loadScenario, scenarioHash } from '../../scenarios/load.js';
import { bar, ms, pct, si } from '../dashboard/glyphs.js';
import { EXIT } from '../exit.js';
import { table } from '../format.js';
import { collect, intOption, scenarioOptions } from '../options.js';
import { grid, parseVary, pointSeed } from '../sweep-grid.js';
import { runPool } from '../sweep-pool.js';
import type { SweepJob } from '../sweep-worker.js';
import { writeAtomic } from '../write-reports.js';
import { underCi } from './run.js';

/** Options of `sweep`. */
export interface SweepCommandOptions {
  json?: boolean;
  seed?: string;
  replications?: string;
  set: string[];
  vary: string[];
  workers?: string;
  out?: string;
  /** Every point with the sweep's seed (common random numbers) instead of a per-point seed. */
  commonSeed?: boolean;
}

/** The jobs of a sweep, validated: a point whose overrides do not load fails here with exit 2. */
export function sweepJobs(
  arg: string,
  opts: Pick<SweepCommandOptions, 'set' | 'vary' | 'seed' | 'replications' | 'commonSeed'>,
) {
  if (opts.vary.length === 0)
    throw new UsageError('sweep needs at least one `--vary key=v1,v2` (or `key=a..b:n`)');
  const vary = opts.vary.map(parseVary);
  const base = loadScenario(arg, opts.set);
  const seed = intOption('seed', opts.seed) ?? base.seed;
  const replications = intOption('replications', opts.replications, 1) ?? base.replications;
  const points = grid(vary);
  const jobs: SweepJob[] = points.map((overrides, id) => {
    const sets = [...opts.set, ...Object.entries(overrides).map(([k, v]) => `${k}=${v}`)];
    return {
      id,
      scenario: loadScenario(arg, sets),
      seed: opts.commonSeed ? seed : pointSeed(seed, overrides),
      replications,
    };
  });
  return { base, seed, replications, vary, points, jobs };
}

/** The human table: one row per point, p99/throughput/errors per journey and utilization per service. */
export function sweepTable(s: SweepResult): string {
  const first = s.points[0]?.result;
  const journeys = Object.keys(first?.journeys ?? {});
  const services = Object.keys(first?.services ?? {});
  const head = [
    ...s.vary.map((v) => v.key.split('.').slice(-2).join('.')),
    ...journeys.flatMap((j) => [`${j} p99`, `${j} thr/s`, `${j} err`]),
    ...services.map((x) => `${x} util`),
  ];
  const rows = s.points.map((p) => [
    ...s.vary.map((v) => p.overrides[v.key]),
    ...journeys.flatMap((j) => {
      const r = p.result.journeys[j];
      return r ? [ms(r.latency.p99), si(r.throughput), pct(r.errorRate, 2)] : ['-', '-', '-'];
    }),
    ...services.map((x) => {
      const u = p.result.services?.[x]?.utilization;
      return u === undefined ? '-' : pct(u);
    }),
  ]);
  return table([head, ...rows]);
}

/** Runs `sweep` and returns the exit code. */
export async function sweepCommand(arg: string, opts: SweepCommandOptions): Promise<number> {
  const { base, seed, replications, vary, points, jobs } = sweepJobs(arg, opts);
  const workers = intOption('workers', opts.workers, 1) ?? availableParallelism();
  const tty = Boolean(process.stderr.isTTY) && !underCi();
  let lastLine = 0;
  const progress = (shares: readonly number[]) => {
    const done = shares.filter((x) => x >= 1).length;
    const share = shares.reduce((a, b) => a + b, 0) / shares.length;
    const line = `sweep ${base.name} ${bar(share, 30)} ${(share * 100).toFixed(0).padStart(3)}%  ${done}/${shares.length} points`;
    const now = Date.now();
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else if (now - lastLine >= 3000 || done === shares.length) {
      lastLine = now;
      process.stderr.write(`${line}\n`);
    }
  };
  const results = await runPool(jobs, workers, progress);
  if (tty) process.stderr.write('\r\x1b[K');

  const sweep: SweepResult = {
    version: 1,
    kind: 'sweep',
    scenario: { name: base.name, hash: scenarioHash(base) },
    seed,
    commonSeed: Boolean(opts.commonSeed),
    replications,
    vary,
    points: points.map((overrides, i) => ({ overrides, seed: jobs[i].seed, result: results[i] })),
  };
  const outDir = resolve(opts.out ?? join('out', `${base.name}-sweep-${stamp()}`));
  const path = join(outDir, 'sweep.json');
  // What was measured goes out before anything touches the disk, which may be full.
  if (opts.json) process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
  else
    process.stdout.write(
      `${base.name}: ${points.length} points · ${replications} replication(s) each · ${Math.min(workers, jobs.length)} worker(s)\n\n${sweepTable(sweep)}\n\n`,
    );
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new RunError(`cannot write ${path}: ${(err as Error).message}`);
  }
  writeAtomic(path, `${JSON.stringify(sweep, null, 2)}\n`);
  if (opts.json) process.stderr.write(`wrote ${path}\n`);
  else process.stdout.write(`wrote ${path}\n`);
  return EXIT.pass;
}

function stamp(now = new Date()): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Registers `sweep`. */
export function register(program: Command): void {
  scenarioOptions(
    program
      .command('sweep')
      .description('run a grid of --set overrides in parallel and tabulate each point')
      .argument('<scenario>', 'scenario file or catalog name'),
  )
    .option(
      '--vary <key=values>',
      'a key and its values: `a,b,c` or `from..to:n` (numbers interpolated); repeatable',
      collect,
      [],
    )
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--common-seed', 'run every point with the same seed (common random numbers)')
    .option('--out <dir>', 'directory for sweep.json (default out/<scenario>-sweep-<time>/)')
    .action(async (scenario: string, opts: SweepCommandOptions) => {
      process.exitCode = await sweepCommand(scenario, opts);
    });
}
