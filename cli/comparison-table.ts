import { journeysShort } from '../loadtests/twin/accuracy.js';
import { formatRelativeError } from '../results/relative-error.js';
import type { RunResult } from '../results/run-result.js';
import { table } from './format.js';

/**
 * Predicted vs measured per journey, with the relative error of each; a journey the measurement
 * says is not comparable (`measured.notComparable`) shows why instead of an error, and a percentile
 * measured on fewer journeys than it needs to say anything (`journeysShort`) says so beside its error.
 */
export function comparisonTable(predicted: RunResult, measured: RunResult): string {
  const rows = [['journey', 'metric', 'predicted', 'measured', 'error']];
  const rel = (p: number, m: number, name: string) =>
    measured.notComparable?.[name] === undefined ? formatRelativeError(p, m) : 'not comparable';
  let short = false;
  for (const [name, m] of Object.entries(measured.journeys)) {
    const p = predicted.journeys[name];
    if (!p) continue;
    for (const [k, q] of [['p50', 0.5] as const, ['p99', 0.99] as const]) {
      const few = journeysShort(p, m, q);
      if (few) short = true;
      rows.push([
        name,
        `${k} ms`,
        p.latency[k].toFixed(1),
        m.latency[k].toFixed(1),
        rel(p.latency[k], m.latency[k], name) + (few ? ` (of ${few.measured}, needs ${few.needed})` : ''),
      ]);
    }
    rows.push([
      name,
      'throughput /s',
      p.throughput.toFixed(2),
      m.throughput.toFixed(2),
      rel(p.throughput, m.throughput, name),
    ]);
  }
  const why = Object.entries(measured.notComparable ?? {}).map(([j, r]) => `  ${j}: ${r}\n`);
  const few = short
    ? '\n(of n, needs N): measured on n journeys, fewer than the N a perfect twin needs for that percentile to land within 7.5 % of the prediction (95 %): run longer before reading its error\n'
    : '';
  return `${table(rows)}${few}${why.length ? `\nnot comparable (the twin does not serve part of it):\n${why.join('')}` : ''}`;
}
