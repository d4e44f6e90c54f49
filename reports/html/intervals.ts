/**
 * Confidence intervals across independent replications: latency, throughput and utilization as
 * bars with their 95 % intervals, drawn only when the result carries intervals.
 */
import type { RunResult } from '../../results/run-result.js';
import { barChart, fmt } from '../charts.js';

/** The interval charts, or nothing when no journey or service has an interval. */
export function intervalSection(r: RunResult): string {
  const entries = Object.entries(r.journeys).filter(([, j]) => j.ci);
  const svc = Object.entries(r.services ?? {}).filter(([, s]) => s.ci);
  if (entries.length === 0 && svc.length === 0) return '';
  const charts: string[] = [];
  for (const metric of ['mean', 'p50', 'p99'] as const) {
    charts.push(
      barChart({
        title: `${metric} latency with 95 % confidence intervals`,
        xLabel: 'ms',
        bars: entries.map(([name, j], i) => ({
          label: name,
          value: j.latency[metric],
          interval: j.ci?.[metric],
          color: i,
        })),
        note: `${r.replications ?? 1} independent replications, Student t.`,
      }),
    );
  }
  charts.push(
    barChart({
      title: 'Throughput with 95 % confidence intervals',
      xLabel: 'journeys per second',
      bars: entries.map(([name, j], i) => ({
        label: name,
        value: j.throughput,
        interval: j.ci?.throughput,
        color: i,
      })),
    }),
  );
  if (svc.length > 0)
    charts.push(
      barChart({
        title: 'Utilization with 95 % confidence intervals',
        xLabel: 'busy share of workers (%)',
        max: 100,
        bars: svc.map(([name, s], i) => ({
          label: name,
          value: s.utilization * 100,
          interval: s.ci ? [s.ci.utilization[0] * 100, s.ci.utilization[1] * 100] : undefined,
          color: i,
        })),
        format: (v) => `${fmt(v)} %`,
      }),
    );
  return `<h2>Confidence intervals</h2><div class="grid">${charts.filter(Boolean).join('')}</div>`;
}
