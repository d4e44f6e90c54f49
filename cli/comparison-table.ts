import { formatRelativeError } from '../results/relative-error.js';
import type { RunResult } from '../results/run-result.js';
import { table } from './format.js';

/**
 * Predicted vs measured per journey, with the relative error of each; a journey the measurement
 * says is not comparable (`measured.notComparable`) shows why instead of an error.
 */
export function comparisonTable(predicted: RunResult, measured: RunResult): string {
  const rows = [['journey', 'metric', 'predicted', 'measured', 'error']];
  const rel = (p: number, m: number, name: string) =>
    measured.notComparable?.[name] === undefined ? formatRelativeError(p, m) : 'not comparable';
  for (const [name, m] of Object.entries(measured.journeys)) {
    const p = predicted.journeys[name];
    if (!p) continue;
    for (const k of ['p50', 'p99'] as const) {
      rows.push([
        name,
        `${k} ms`,
        p.latency[k].toFixed(1),
        m.latency[k].toFixed(1),
        rel(p.latency[k], m.latency[k], name),
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
  return `${table(rows)}${why.length ? `\nnot comparable (the twin does not serve part of it):\n${why.join('')}` : ''}`;
}
