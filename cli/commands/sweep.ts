/**
 * `backline sweep <scenario> --vary key=values …`: runs every point of a grid of `--set` overrides
 * on worker threads (one per core by default), each with a seed derived from the sweep's seed and
 * the point itself, so the same grid gives the same numbers whatever the number of workers. Prints
 * a table (or the {@link SweepResult} with `--json`) and writes `sweep.json` into `--out`.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { renderSweepHtml } from '../../reports/html/sweep.js';
import { RunError, UsageError } from '../../results/errors.js';
import type { RunResult } from '../../results/run-result.js';
import { mergeSweepShards, type SweepResult } from '../../results/sweep.js';
import { loadScenario, scenarioHash } from '../../scenarios/load.js';
import { bar, ms, pct, si } from '../dashboard/glyphs.js';
import { EXIT } from '../exit.js';
import { table } from '../format.js';
import { collect, intOption, scenarioOptions } from '../options.js';
import { grid, parseVary, pointSeed } from '../sweep-grid.js';
import { sweepJobManifests } from '../sweep-job.js';
import { runPool } from '../sweep-pool.js';
import { parseShard, shardPoints } from '../sweep-shard.js';
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
  /** `i/n`: run only the i-th of n slices of the grid and write a partial result. */
  shard?: string;
  /** Write a Kubernetes Indexed Job running `parallelism` shards instead of running. */
  k8sJob?: boolean;
  parallelism?: string;
  resultsPvc?: string;
  image?: string;
  namespace?: string;
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
  const { base, seed, replications, vary, points, jobs: all } = sweepJobs(arg, opts);
  if (opts.k8sJob) return writeJob(arg, base.name, opts);
  for (const o of ['parallelism', 'resultsPvc', 'image', 'namespace'] as const)
    if (opts[o] !== undefined)
      throw new UsageError(`--${o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --k8s-job`);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  const positions = shard ? shardPoints(points.length, shard) : points.map((_, i) => i);
  // Pool ids index this run's jobs; the grid position stays in `positions`.
  const jobs = positions.map((p, id) => ({ ...all[p], id }));
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
  const done = await runPool(jobs, workers, progress);
  const results: RunResult[] = [];
  positions.forEach((p, i) => {
    results[p] = done[i];
  });
  if (tty) process.stderr.write('\r\x1b[K');

  const sweep: SweepResult = {
    version: 1,
    kind: 'sweep',
    scenario: { name: base.name, hash: scenarioHash(base) },
    seed,
    commonSeed: Boolean(opts.commonSeed),
    replications,
    vary,
    points: positions.map((p) => ({ overrides: points[p], seed: all[p].seed, result: results[p] })),
    ...(shard ? { shard: { ...shard, positions } } : {}),
  };
  const outDir = resolve(opts.out ?? join('out', `${base.name}-sweep-${stamp()}`));
  const path = join(outDir, 'sweep.json');
  // What was measured goes out before anything touches the disk, which may be full.
  if (opts.json) process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
  else
    process.stdout.write(
      `${base.name}: ${shard ? `shard ${shard.index}/${shard.count}: ${jobs.length} of ` : ''}${points.length} points · ${replications} replication(s) each · ${Math.min(workers, jobs.length)} worker(s)\n\n${sweepTable(sweep)}\n\n`,
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

/** The arguments that make the same sweep again (for the Job's pods). */
function sweepArgs(opts: SweepCommandOptions): string[] {
  return [
    ...opts.vary.flatMap((v) => ['--vary', v]),
    ...opts.set.flatMap((v) => ['--set', v]),
    ...(opts.seed !== undefined ? ['--seed', opts.seed] : []),
    ...(opts.replications !== undefined ? ['--replications', opts.replications] : []),
    ...(opts.commonSeed ? ['--common-seed'] : []),
  ];
}

function writeJob(arg: string, name: string, opts: SweepCommandOptions): number {
  if (opts.shard !== undefined) throw new UsageError('--k8s-job runs every shard; drop --shard');
  if (!opts.resultsPvc)
    throw new UsageError('--k8s-job needs --results-pvc <claim>: each shard writes its partial result there');
  const text = sweepJobManifests({
    name,
    scenario: arg,
    args: sweepArgs(opts),
    shards: intOption('parallelism', opts.parallelism, 1) ?? 2,
    resultsPvc: opts.resultsPvc,
    image: opts.image ?? 'backline:latest',
    namespace: opts.namespace,
  });
  if (opts.out) {
    writeAtomic(opts.out, text);
    process.stderr.write(`wrote ${opts.out}\n`);
  } else process.stdout.write(text);
  return EXIT.pass;
}

/** Writes `report.html` for a sweep into `outDir` (default: beside the sweep file); returns its path. */
export function writeSweepReport(sweep: SweepResult, file: string, outDir?: string): string {
  const dir = resolve(outDir ?? dirname(file));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new RunError(`cannot write ${dir}: ${(err as Error).message}`);
  }
  const path = join(dir, 'report.html');
  writeAtomic(path, renderSweepHtml(sweep));
  return path;
}

/** `backline merge` of sweep shards: the merged sweep, byte-identical to the unsharded one. */
export async function mergeSweepCommand(
  shards: readonly { file: string; value: unknown }[],
  opts: { json?: boolean; out?: string },
): Promise<number> {
  const sweep = mergeSweepShards(shards);
  const json = `${JSON.stringify(sweep, null, 2)}\n`;
  process.stdout.write(
    opts.json
      ? json
      : `${sweep.scenario.name}: ${sweep.points.length} points from ${shards.length} shard(s)\n\n${sweepTable(sweep)}\n`,
  );
  if (opts.out) {
    writeAtomic(opts.out, json);
    process.stderr.write(`wrote ${opts.out}\n`);
  }
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
    .option(
      '--shard <i/n>',
      'run only the i-th of n slices of the grid (1-based) and write a partial sweep.json',
    )
    .option(
      '--k8s-job',
      'write a Kubernetes Indexed Job (and its ConfigMap) running the shards, instead of running',
    )
    .option('--parallelism <n>', 'shards of the Indexed Job (with --k8s-job; default 2)')
    .option('--results-pvc <claim>', 'PersistentVolumeClaim the shards write to (with --k8s-job)')
    .option(
      '--image <ref>',
      'container image with backline on PATH (with --k8s-job; default backline:latest)',
    )
    .option('--namespace <ns>', 'Kubernetes namespace (with --k8s-job)')
    .action(async (scenario: string, opts: SweepCommandOptions) => {
      process.exitCode = await sweepCommand(scenario, opts);
    });
}
