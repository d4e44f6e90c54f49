/**
 * Sharded sweeps: `--shard i/n` (1-based, as Playwright and Jest count) runs grid points
 * i−1, i−1+n, i−1+2n, … (round robin, so expensive corners of a grid spread over every shard).
 * Seeds come from the points themselves, so any split gives the same numbers as one run.
 */
import { UsageError } from '../results/errors.js';

/** A shard of a sweep. */
export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `i/n`; exit 2 unless 1 ≤ i ≤ n ≤ 10000. */
export function parseShard(raw: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!m || count < 1 || count > 10_000 || index < 1 || index > count)
    throw new UsageError(
      `--shard expects i/n with 1 ≤ i ≤ n (e.g. --shard 2/3 for the second of three), got \`${raw}\``,
    );
  return { index, count };
}

/** The grid positions shard `s` runs, out of `points`. */
export function shardPoints(points: number, s: ShardSpec): number[] {
  const out: number[] = [];
  for (let k = s.index - 1; k < points; k += s.count) out.push(k);
  return out;
}
