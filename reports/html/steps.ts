/**
 * The report's flow panels: one table per journey flow (and the session) with each step's count,
 * status codes, errors by cause, checks and latency, and a chart of status codes over time. Only
 * load results of flows have these fields; otherwise the section is empty.
 */
import type { CheckCount, RunResult, StepResult } from '../../results/run-result.js';
import { fmt, lineChart, type Series } from '../charts.js';
import { escapeHtml as esc } from '../escape.js';

const pairs = (o: Record<string, number>) =>
  Object.entries(o)
    .map(([k, n]) => `${k}: ${n.toLocaleString('en-US')}`)
    .join(', ');

function rate(c: CheckCount): string {
  const total = c.pass + c.fail;
  return total === 0 ? '–' : `${fmt((100 * c.pass) / total)} %`;
}

function checksCell(s: StepResult): string {
  const entries = Object.entries(s.checks ?? {});
  if (entries.length === 0) return '–';
  return entries
    .map(([name, c]) => {
      const cls = c.fail > 0 ? 'fail' : 'pass';
      return `<span class="${cls === 'fail' ? 'fail' : ''}">${esc(name)} ${esc(rate(c))}${c.fail > 0 ? ` <small>(${esc(c.fail.toLocaleString('en-US'))} failed)</small>` : ''}</span>`;
    })
    .join('<br>');
}

function table(title: string, steps: readonly StepResult[], checks: CheckCount | undefined): string {
  const rows = steps
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td><td>${esc(s.count.toLocaleString('en-US'))}</td><td>${esc(pairs(s.statuses)) || '–'}</td><td>${esc(pairs(s.errors)) || '–'}</td><td>${checksCell(s)}</td><td>${esc(fmt(s.latency.p50))}</td><td>${esc(fmt(s.latency.p99))}</td><td>${esc(fmt(s.latency.max))}</td></tr>`,
    )
    .join('');
  const total = checks
    ? ` <small>checks ${esc(rate(checks))} of ${esc((checks.pass + checks.fail).toLocaleString('en-US'))}</small>`
    : '';
  return `<h3>${esc(title)}${total}</h3><table><thead><tr><th>step</th><th>count</th><th>status codes</th><th>errors</th><th>checks</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The chart of status codes (and failure causes) per second over time, or '' without data. */
function statusChart(r: RunResult): string {
  const tl = r.statusTimeline;
  if (!tl || tl.t.length === 0) return '';
  const series: Series[] = Object.entries(tl.codes).map(([code, ys], i) => ({
    name: code,
    points: ys.map((y, k) => [tl.t[k], y / tl.interval] as [number, number]),
    color: i,
  }));
  return `<div class="grid">${lineChart({ title: 'Status codes over time', xLabel: 'time (s)', yLabel: 'responses per second', series })}</div>`;
}

/**
 * The "Flow steps" section: per-step tables and status codes over time; for single-request load
 * runs a "Status codes" section with the chart alone.
 */
export function stepsSection(r: RunResult): string {
  const flows = Object.entries(r.journeys).filter(([, j]) => (j.steps?.length ?? 0) > 0);
  if (flows.length === 0 && !r.session) {
    const chart = statusChart(r);
    return chart && `<h2>Status codes</h2>\n${chart}`;
  }
  const parts = ['<h2>Flow steps</h2>'];
  if (r.session) parts.push(table('session (once per virtual user)', r.session.steps, r.session.checks));
  for (const [name, j] of flows) parts.push(table(name, j.steps ?? [], j.checks));
  const chart = statusChart(r);
  if (chart) parts.push(chart);
  return parts.join('\n');
}
