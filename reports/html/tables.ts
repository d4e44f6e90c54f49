/**
 * The report's tables of measured numbers: budgets with their verdicts, journeys, services and
 * faults. Values with a confidence interval show it beside them in small print.
 */
import type { Interval, JourneyResult, RunResult } from '../../results/run-result.js';
import { fmt } from '../charts.js';
import { escapeHtml as esc } from '../escape.js';

/** Budgets with value, limit, interval and verdict; a note when the scenario declares none. */
export function budgetSection(r: RunResult): string {
  const budgets = r.budgets;
  if (budgets.length === 0) return '<h2>Budgets</h2><p class="meta">The scenario declares no budgets.</p>';
  const rows = budgets
    .map((b) => {
      const cls = b.pass === null ? 'unsure' : b.pass ? 'pass' : 'fail';
      const word = b.pass === null ? 'unsure' : b.pass ? 'pass' : 'FAIL';
      return `<tr><td>${esc(b.expr)}</td><td>${esc(fmt(b.value))}</td><td>${esc(fmt(b.limit))}</td><td>${b.ci ? esc(`${fmt(b.ci[0])} – ${fmt(b.ci[1])}`) : '–'}</td><td class="${cls}">${word}</td></tr>`;
    })
    .join('');
  return `<h2>Budgets</h2><table><thead><tr><th>budget</th><th>value</th><th>limit</th><th>95 % interval</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function ciText(v: number, ci: Interval | undefined): string {
  return ci ? `${esc(fmt(v))} <small>[${esc(fmt(ci[0]))}, ${esc(fmt(ci[1]))}]</small>` : esc(fmt(v));
}

/** One row per journey: count, throughput, errors by cause and latency percentiles (p50 … p99.9). */
export function journeySection(r: RunResult): string {
  const entries = Object.entries(r.journeys);
  if (entries.length === 0) return '<h2>Journeys</h2><p class="meta">No journeys finished.</p>';
  const rows = entries
    .map(([name, j]) => {
      const l = j.latency;
      const errs = Object.entries(j.errors)
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
      return `<tr><td>${esc(name)}</td><td>${esc((j.count ?? 0).toLocaleString('en-US'))}</td><td>${ciText(j.throughput, j.ci?.throughput)}</td><td>${esc(fmt((j.errorRate ?? 0) * 100))} %${errs ? ` <small>(${esc(errs)})</small>` : ''}</td><td>${ciText(l.mean, j.ci?.mean)}</td><td>${ciText(l.p50, j.ci?.p50)}</td><td>${esc(fmt(l.p90))}</td><td>${esc(fmt(l.p95))}</td><td>${ciText(l.p99, j.ci?.p99)}</td><td>${esc(fmt(l.p999))}</td><td>${esc(fmt(l.max))}</td></tr>`;
    })
    .join('');
  return `<h2>Journeys</h2><table><thead><tr><th>journey</th><th>count</th><th>throughput /s</th><th>errors</th><th>mean ms</th><th>p50 ms</th><th>p90 ms</th><th>p95 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table><p class="note">Latencies are of successful journeys.</p>${failedTable(entries)}`;
}

/** How long failed journeys took until they failed (absent when none failed). */
function failedTable(entries: [string, JourneyResult][]): string {
  const rows = entries
    .flatMap(([name, { failed: f }]) =>
      f
        ? [
            `<tr><td>${esc(name)}</td><td>${esc(f.count.toLocaleString('en-US'))}</td><td>${esc(fmt(f.latency.mean))}</td><td>${esc(fmt(f.latency.p50))}</td><td>${esc(fmt(f.latency.p99))}</td><td>${esc(fmt(f.latency.max))}</td></tr>`,
          ]
        : [],
    )
    .join('');
  if (!rows) return '';
  return `<h3>Failed journeys: time until the failure</h3><table class="failed"><thead><tr><th>journey</th><th>failed</th><th>mean ms</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** One row per service (absent when the result has none). */
export function servicesSection(r: RunResult): string {
  const svc = Object.entries(r.services ?? {});
  if (svc.length === 0) return '';
  const rows = svc
    .map(([name, s]) => {
      const opens = (s.breaker ?? []).filter(([, st]) => st === 'open').length;
      return `<tr><td>${esc(name)}</td><td>${esc(s.replicas)}</td><td>${esc(s.workers)}</td><td>${ciText(
        s.utilization * 100,
        s.ci ? [s.ci.utilization[0] * 100, s.ci.utilization[1] * 100] : undefined,
      )} %</td><td>${ciText(s.queue, s.ci?.queue)}</td><td>${esc((s.served ?? 0).toLocaleString('en-US'))}</td><td>${esc((s.rejected ?? 0).toLocaleString('en-US'))}</td><td>${esc(s.retries ?? 0)}</td><td>${esc(s.timeouts ?? 0)}</td><td>${esc(s.breakerOpen ?? 0)}</td><td>${esc(s.expired ?? 0)}</td><td>${esc(opens)}</td><td>${s.cost !== undefined ? esc(fmt(s.cost)) : '–'}</td></tr>`;
    })
    .join('');
  return `<h2>Services</h2><table><thead><tr><th>service</th><th>replicas</th><th>workers</th><th>utilization</th><th>mean queue</th><th>served</th><th>rejected</th><th>retries</th><th>timeouts</th><th>breaker_open</th><th>expired</th><th>breaker trips</th><th>cost</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The injected faults with start and length (absent when there were none). */
export function faultsSection(r: RunResult): string {
  const faults = r.faults ?? [];
  if (faults.length === 0) return '';
  const rows = faults
    .map((f) => `<tr><td>${esc(f.label)}</td><td>${esc(fmt(f.at))} s</td><td>${esc(fmt(f.for))} s</td></tr>`)
    .join('');
  return `<h2>Faults</h2><table><thead><tr><th>fault</th><th>at</th><th>for</th></tr></thead><tbody>${rows}</tbody></table>`;
}
