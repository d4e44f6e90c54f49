/**
 * Predicted vs measured: the relative error of a predicted result (typically the simulation)
 * against a measured one (typically a load test), per journey.
 */
import { formatRelativeError } from '../../results/relative-error.js';
import type { RunResult } from '../../results/run-result.js';
import { type Bar, barChart, fmt } from '../charts.js';
import { escapeHtml as esc } from '../escape.js';

const relErr = formatRelativeError;

/** Percentiles side by side with their relative errors, and the signed p99 errors as bars. */
export function predictedSection(r: RunResult, p: RunResult): string {
  const rows: string[] = [];
  const bars: Bar[] = [];
  Object.entries(r.journeys).forEach(([name, m], i) => {
    const q = p.journeys?.[name];
    if (!q) {
      rows.push(`<tr><td>${esc(name)}</td><td colspan="7">not in the predicted result</td></tr>`);
      return;
    }
    const why = r.notComparable?.[name];
    if (why !== undefined) {
      rows.push(`<tr><td>${esc(name)}</td><td colspan="7">not comparable: ${esc(why)}</td></tr>`);
      return;
    }
    rows.push(
      `<tr><td>${esc(name)}</td><td>${esc(fmt(q.latency.p50))}</td><td>${esc(fmt(m.latency.p50))}</td><td>${esc(relErr(q.latency.p50, m.latency.p50))}</td><td>${esc(fmt(q.latency.p99))}</td><td>${esc(fmt(m.latency.p99))}</td><td>${esc(relErr(q.latency.p99, m.latency.p99))}</td><td>${esc(relErr(q.throughput, m.throughput))}</td></tr>`,
    );
    if (m.latency.p99 > 0)
      bars.push({
        label: name,
        value: ((q.latency.p99 - m.latency.p99) / m.latency.p99) * 100,
        color: i,
        title: `${name}: p99 predicted ${fmt(q.latency.p99)} ms, measured ${fmt(m.latency.p99)} ms`,
      });
  });
  const chart = barChart({
    title: 'Relative error of predicted p99 per journey',
    xLabel: '(predicted − measured) / measured (%)',
    bars,
    signed: true,
    format: (v) => `${v > 0 ? '+' : ''}${fmt(v)} %`,
    note: 'Right of zero: the prediction was slower than measured; left: faster.',
  });
  return `<h2>Predicted vs measured</h2><table><thead><tr><th>journey</th><th>p50 predicted</th><th>p50 measured</th><th>error</th><th>p99 predicted</th><th>p99 measured</th><th>error</th><th>throughput error</th></tr></thead><tbody>${rows.join('')}</tbody></table>${chart ? `<div class="grid">${chart}</div>` : ''}`;
}
