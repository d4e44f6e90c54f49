/**
 * `backline compare a.json b.json`: per-journey and per-service deltas from `a` (baseline) to `b`,
 * each with a significance mark (see results/compare.ts for where the intervals come from).
 * It informs rather than gates, so it exits 0 whatever changed; `check --baseline` is the gate.
 */
import type { Command } from 'commander';
import { type Comparison, compareResults, type MetricDelta } from '../../results/compare.js';
import { UsageError } from '../../results/errors.js';
import { EXIT } from '../exit.js';
import { table } from '../format.js';
import { readResult } from './report.js';

/** Options of `compare`. */
export interface CompareCommandOptions {
  json?: boolean;
  tolerance?: string;
}

/** Parses `--tolerance`: `10%` or a share such as `0.1` (default 10 %). */
export function tolerance(value: string | undefined): number {
  if (value === undefined) return 0.1;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(value);
  const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : Number.NaN;
  if (!m || !Number.isFinite(n) || (!m[2] && n > 1))
    throw new UsageError(`--tolerance expects a percentage like 10% or a share like 0.1, got \`${value}\``);
  return n;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** `1.23 → 1.50 (+22.0 %) ▲` */
export function formatDelta(d: MetricDelta | undefined, scale = 1): string {
  if (!d) return '-';
  const rel = Number.isFinite(d.relative)
    ? `${d.relative >= 0 ? '+' : ''}${(d.relative * 100).toFixed(1)} %`
    : d.relative > 0
      ? 'new'
      : 'gone';
  return `${num(d.a * scale)} → ${num(d.b * scale)} (${rel}) ${d.mark}`;
}

/** The human rendering of a comparison. */
export function formatComparison(c: Comparison): string {
  const jrows = [['journey', 'p50 ms', 'p99 ms', 'mean ms', 'throughput /s', 'errors %']];
  for (const j of c.journeys) {
    if (j.onlyIn) jrows.push([j.name, `only in ${j.onlyIn}`, '', '', '', '']);
    else
      jrows.push([
        j.name,
        formatDelta(j.p50),
        formatDelta(j.p99),
        formatDelta(j.mean),
        formatDelta(j.throughput),
        formatDelta(j.errorRate, 100),
      ]);
  }
  const parts = [
    `a: ${c.a.scenario} (${c.a.replications} replication(s))  →  b: ${c.b.scenario} (${c.b.replications} replication(s))`,
    '',
    table(jrows),
  ];
  if (c.services.length > 0) {
    const srows = [['service', 'utilization %', 'mean queue', 'replicas', 'rejected']];
    for (const s of c.services) {
      if (s.onlyIn) srows.push([s.name, `only in ${s.onlyIn}`, '', '', '']);
      else
        srows.push([
          s.name,
          formatDelta(s.utilization, 100),
          formatDelta(s.queue),
          formatDelta(s.replicas),
          formatDelta(s.rejected),
        ]);
    }
    parts.push('', table(srows));
  }
  parts.push(
    '',
    '▲ significant rise · ▼ significant fall (95 % intervals do not overlap) · · within noise · ? no interval to judge',
  );
  if (c.regressions.length > 0) {
    parts.push('', `regressions beyond ${(c.tolerance * 100).toFixed(1)} %:`);
    for (const r of c.regressions) parts.push(`  ${r.message}`);
  }
  return `${parts.join('\n')}\n`;
}

/** Runs `compare` and returns the exit code. */
export function compareCommand(a: string, b: string, opts: CompareCommandOptions): number {
  const ra = readResult(a);
  const rb = readResult(b);
  const c = compareResults(ra, rb, { tolerance: tolerance(opts.tolerance) });
  process.stdout.write(opts.json ? `${JSON.stringify(c, null, 2)}\n` : formatComparison(c));
  return EXIT.pass;
}

/** Registers `compare`. */
export function register(program: Command): void {
  program
    .command('compare')
    .description('per-journey and per-service deltas between two results, with significance marks')
    .argument('<a>', 'baseline RunResult JSON')
    .argument('<b>', 'candidate RunResult JSON')
    .option('--tolerance <share>', 'relative worsening listed as a regression (default 10%)')
    .option('--json', 'print the comparison as JSON')
    .action((a: string, b: string, opts: CompareCommandOptions) => {
      process.exitCode = compareCommand(a, b, opts);
    });
}
