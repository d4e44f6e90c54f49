/**
 * Plain-text tables of a RunResult for the terminal.
 */
import { escapeControl } from '../results/escape.js';
import { generatorFacts, generatorRow } from '../results/generator-row.js';
import type { Interval, RunResult } from '../results/run-result.js';

/**
 * A table with left-aligned first column and right-aligned others. Cells are escaped: names may
 * come from a result file anyone wrote, and must not drive the terminal.
 */
export function table(cells: string[][]): string {
  const rows = cells.map((r) => r.map(escapeControl));
  const widths = rows[0].map((_, c) => rows.reduce((w, r) => Math.max(w, r[c].length), 0));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

/** `12.3 ±0.4` from a value and its interval. */
export function withCi(value: number, ci: Interval | undefined, digits = 1): string {
  if (!ci) return value.toFixed(digits);
  return `${value.toFixed(digits)} ±${((ci[1] - ci[0]) / 2).toFixed(digits)}`;
}

/** Four significant digits: enough to judge a budget, short enough to read. */
function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x);
}

/** The human summary `backline sim` prints. */
export function formatSummary(r: RunResult): string {
  const head = [
    `${r.scenario.name}  seed ${r.seed ?? '-'} · ${r.replications ?? 1} replication(s) · window ${r.window.start}s..${r.window.end}s` +
      (r.events !== undefined ? ` · ${r.events.toLocaleString('en-US')} events` : '') +
      (r.partial ? ' · PARTIAL (stopped early)' : ''),
  ];
  const jrows = [['journey', 'count', 'thr/s', 'errors', 'mean ms', 'p50 ms', 'p99 ms', 'max ms']];
  for (const [name, j] of Object.entries(r.journeys)) {
    jrows.push([
      name,
      j.count.toLocaleString('en-US'),
      withCi(j.throughput, j.ci?.throughput, 3),
      `${(j.errorRate * 100).toFixed(2)} %`,
      withCi(j.latency.mean, j.ci?.mean),
      withCi(j.latency.p50, j.ci?.p50),
      withCi(j.latency.p99, j.ci?.p99),
      j.latency.max.toFixed(1),
    ]);
  }
  const parts = [head.join('\n'), '', table(jrows)];
  const failed = Object.entries(r.journeys).filter(([, j]) => j.failed);
  if (failed.length > 0) {
    // The percentiles above are of successful journeys; how long the failures took is shown apart.
    const frows = [['failed journeys', 'measured', 'mean ms', 'p50 ms', 'p99 ms', 'max ms']];
    for (const [name, { failed: f }] of failed)
      if (f)
        frows.push([
          name,
          f.count.toLocaleString('en-US'),
          f.latency.mean.toFixed(1),
          f.latency.p50.toFixed(1),
          f.latency.p99.toFixed(1),
          f.latency.max.toFixed(1),
        ]);
    parts.push('', table(frows));
  }
  if (r.generator) parts.push(`generator  ${generatorRow(generatorFacts(r.generator))}`);
  if (r.services && Object.keys(r.services).length > 0) {
    const srows = [
      [
        'service',
        'replicas',
        'utilization %',
        'mean queue',
        'served',
        'rejected',
        'retries',
        'timeouts',
        'breaker_open',
        'expired',
        'breaker trips',
      ],
    ];
    const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US');
    for (const [name, s] of Object.entries(r.services)) {
      srows.push([
        name,
        String(s.replicas),
        withCi(
          s.utilization * 100,
          s.ci ? [s.ci.utilization[0] * 100, s.ci.utilization[1] * 100] : undefined,
        ),
        withCi(s.queue, s.ci?.queue, 2),
        n(s.served),
        n(s.rejected),
        n(s.retries),
        n(s.timeouts),
        n(s.breakerOpen),
        n(s.expired),
        n(s.breaker?.filter(([, state]) => state === 'open').length),
      ]);
    }
    parts.push('', table(srows));
    const stale = staleRows(r.services);
    if (stale.length > 1) parts.push('', table(stale));
    if (r.cost !== undefined) parts.push(`cost over the window: ${r.cost.toFixed(2)}`);
  }
  if (r.budgets.length > 0) {
    const brows = [['budget', 'value', 'limit', 'verdict']];
    for (const b of r.budgets) {
      const v = b.pass === null ? 'unsure' : b.pass ? 'pass' : 'FAIL';
      brows.push([b.expr, fmt(b.value), fmt(b.limit), b.noData !== undefined ? `${v}: no data` : v]);
    }
    parts.push('', table(brows));
  }
  return `${parts.join('\n')}\n`;
}

/**
 * One row per burst of calls to a crashed replica still listed by discovery (`stale_endpoint`): when
 * it began and ended and how long it lasted, to set beside the service's check interval + TTL.
 */
function staleRows(services: NonNullable<RunResult['services']>): string[][] {
  const rows = [['stale endpoints', 'from s', 'to s', 'length s', 'calls refused']];
  for (const [name, s] of Object.entries(services))
    for (const b of s.staleBursts ?? [])
      rows.push([
        name,
        b.from.toFixed(1),
        b.to.toFixed(1),
        (b.to - b.from).toFixed(1),
        b.errors.toLocaleString('en-US'),
      ]);
  return rows;
}
