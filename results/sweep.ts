/**
 * The result of a parameter sweep (`backline sweep`): the grid that was varied and one RunResult per
 * point, in grid order (the first `vary` key changes slowest). Written as `sweep.json`. A sharded
 * run (`--shard i/n`) writes a partial sweep holding its points and their grid positions;
 * {@link mergeSweepShards} puts all shards back into the exact unsharded result.
 */
import { UsageError } from './errors.js';
import type { RunResult } from './run-result.js';

/** One varied key and the values it took, as written to `--set`. */
export interface SweepVary {
  key: string;
  values: string[];
}

/** One grid point: the `--set` overrides that made it, its seed and its result. */
export interface SweepPoint {
  overrides: Record<string, string>;
  /** The master seed this point ran with (derived from the sweep's seed and the overrides). */
  seed: number;
  result: RunResult;
}

/** A whole sweep. */
export interface SweepResult {
  version: 1;
  kind: 'sweep';
  scenario: { name: string; hash: string };
  /** The sweep's base seed. */
  seed: number;
  /** True when every point ran with the base seed (common random numbers). */
  commonSeed: boolean;
  replications: number;
  vary: SweepVary[];
  points: SweepPoint[];
  /** Present on a shard's partial result only: which shard, and the grid position of each point. */
  shard?: { index: number; count: number; positions: number[] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges the partial results of shards 1..n of one sweep into the result the unsharded sweep
 * writes (same keys, same order). Throws a UsageError naming the file for a shard of another
 * sweep, a missing or repeated shard, or a point out of place.
 */
export function mergeSweepShards(parts: readonly { file: string; value: unknown }[]): SweepResult {
  const shards = parts.map(({ file, value }) => {
    const s = value as Partial<SweepResult>;
    const sh = s.shard;
    if (
      s.version !== 1 ||
      !Array.isArray(s.points) ||
      !Array.isArray(s.vary) ||
      !sh ||
      !Array.isArray(sh.positions) ||
      sh.positions.length !== s.points.length
    )
      throw new UsageError(`${file}: not a sweep shard (no shard positions); run sweep with --shard i/n`);
    return { file, s: s as SweepResult, sh };
  });
  const first = shards[0];
  const count = first.sh.count;
  const seen = new Map<number, string>();
  const total = first.s.vary.reduce((n, v) => n * v.values.length, 1);
  const points: SweepPoint[] = new Array(total);
  for (const { file, s, sh } of shards) {
    for (const k of ['scenario', 'seed', 'commonSeed', 'replications', 'vary'] as const)
      if (!same(s[k], first.s[k]))
        throw new UsageError(`${file}: a shard of another sweep (${k} differs from ${first.file})`);
    if (sh.count !== count) throw new UsageError(`${file}: shard of ${sh.count}, ${first.file} of ${count}`);
    const dup = seen.get(sh.index);
    if (dup) throw new UsageError(`${file}: shard ${sh.index}/${count} given twice (also ${dup})`);
    seen.set(sh.index, file);
    sh.positions.forEach((pos, i) => {
      if (!Number.isInteger(pos) || pos < 0 || pos >= total || points[pos])
        throw new UsageError(`${file}: point position ${pos} is out of the grid or repeated`);
      points[pos] = s.points[i];
    });
  }
  const missing = [];
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missing.push(`${i}/${count}`);
  if (missing.length) throw new UsageError(`missing shard(s) ${missing.join(', ')}`);
  if (points.some((p) => p === undefined) || points.length !== total)
    throw new UsageError('the shards do not cover the whole grid');
  const { version, kind, scenario, seed, commonSeed, replications, vary } = first.s;
  return { version, kind, scenario, seed, commonSeed, replications, vary, points };
}
