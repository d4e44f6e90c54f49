/**
 * `summary.md`: a short Markdown verdict for a pull-request comment or `$GITHUB_STEP_SUMMARY`:
 * the verdict, the budget table, the journeys, and regressions against a baseline when given.
 * Scenario names are escaped (inline HTML is neutralised, pipes cannot break a table).
 */

import type { Comparison, MetricDelta } from '../results/compare.js';
import { generatorFacts, generatorRow } from '../results/generator-row.js';
import type { RunResult } from '../results/run-result.js';
import { fmt } from './charts.js';
import { escapeMarkdown as md } from './escape.js';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  comparison?: Comparison;
  /** A second result shown as predicted beside this one. */
  predicted?: RunResult;
}

function pct(d: MetricDelta | undefined): string {
  if (!d) return '–';
  const r = Number.isFinite(d.relative)
    ? `${d.relative >= 0 ? '+' : ''}${(d.relative * 100).toFixed(1)} %`
    : 'new';
  return `${r} ${d.mark}`;
}

/** Renders the Markdown summary of `result`. */
export function renderMarkdown(result: RunResult, opts: MarkdownOptions = {}): string {
  const r = result;
  const budgets = r.budgets;
  const regressions = opts.comparison?.regressions ?? [];
  const failed = budgets.filter((b) => b.pass === false).length;
  const unsure = budgets.filter((b) => b.pass === null).length;
  const verdict =
    failed > 0 || regressions.length > 0
      ? '❌ FAIL'
      : unsure > 0
        ? '⚠️ PASS (some budgets unsure)'
        : budgets.length > 0
          ? '✅ PASS'
          : 'ℹ️ no budgets';
  const lines: string[] = [];
  lines.push(`## backline · ${md(r.scenario?.name ?? 'scenario')} · ${verdict}`, '');
  const meta = [
    r.kind === 'load' ? `load test${r.tool ? ` (${r.tool})` : ''}` : 'simulation',
    r.seed !== undefined ? `seed ${r.seed}` : '',
    `${r.replications ?? 1} replication(s)`,
    r.window ? `window ${fmt(r.window.start)}–${fmt(r.window.end)} s` : '',
    r.partial ? '**partial (stopped early)**' : '',
  ].filter(Boolean);
  lines.push(meta.join(' · '), '');
  if (budgets.length > 0) {
    lines.push('| budget | value | limit | verdict |', '|---|---:|---:|---|');
    for (const b of budgets) {
      const v = b.pass === null ? '⚠️ unsure' : b.pass ? '✅ pass' : '❌ FAIL';
      const ci = b.ci ? ` [${fmt(b.ci[0])}, ${fmt(b.ci[1])}]` : '';
      lines.push(
        `| \`${b.expr
          .replace(/[\r\n]+/g, ' ')
          .replace(/`/g, "'")
          .replace(/\|/g, '\\|')}\` | ${fmt(b.value)}${ci} | ${fmt(b.limit)} | ${v} |`,
      );
    }
    lines.push('');
  }
  const js = Object.entries(r.journeys);
  if (js.length > 0) {
    lines.push(
      '| journey | count | throughput /s | errors | p50 ms | p99 ms | mean ms |',
      '|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const [name, j] of js) {
      lines.push(
        `| ${md(name)} | ${(j.count ?? 0).toLocaleString('en-US')} | ${fmt(j.throughput)} | ${fmt((j.errorRate ?? 0) * 100)} % | ${fmt(j.latency?.p50)} | ${fmt(j.latency?.p99)} | ${fmt(j.latency?.mean)} |`,
      );
    }
    lines.push('');
    const failed = js.flatMap(([name, j]) =>
      j.failed
        ? [`${md(name)} p50 ${fmt(j.failed.latency.p50)} ms, p99 ${fmt(j.failed.latency.p99)} ms`]
        : [],
    );
    if (failed.length > 0)
      lines.push(`Latencies are of successful journeys. Failed journeys took: ${failed.join('; ')}.`, '');
  }
  if (r.generator) {
    const g = r.generator;
    lines.push(
      `**generator:** ${generatorRow(generatorFacts(g))}${g.behind ? ` · ⚠️ behind: ${md(g.behind)}` : ''}`,
      '',
    );
  }
  const p = opts.predicted;
  if (p) {
    lines.push(
      '### Predicted vs measured',
      '',
      '| journey | p99 predicted | p99 measured | error |',
      '|---|---:|---:|---:|',
    );
    for (const [name, j] of js) {
      const q = p.journeys?.[name];
      if (!q) continue;
      const why = r.notComparable?.[name];
      if (why !== undefined) {
        lines.push(
          `| ${md(name)} | ${fmt(q.latency.p99)} | ${fmt(j.latency.p99)} | not comparable: ${md(why)} |`,
        );
        continue;
      }
      const e = j.latency.p99 > 0 ? ((q.latency.p99 - j.latency.p99) / j.latency.p99) * 100 : Number.NaN;
      lines.push(
        `| ${md(name)} | ${fmt(q.latency.p99)} | ${fmt(j.latency.p99)} | ${Number.isFinite(e) ? `${e >= 0 ? '+' : ''}${e.toFixed(1)} %` : '–'} |`,
      );
    }
    lines.push('');
  }
  const c = opts.comparison;
  if (c) {
    lines.push(
      `### Against the baseline (tolerance ${(c.tolerance * 100).toFixed(1)} %)`,
      '',
      '| journey | p99 | mean | throughput | errors |',
      '|---|---:|---:|---:|---:|',
    );
    for (const j of c.journeys) {
      if (j.onlyIn)
        lines.push(`| ${md(j.name)} | only in ${j.onlyIn === 'a' ? 'baseline' : 'this run'} | | | |`);
      else
        lines.push(
          `| ${md(j.name)} | ${pct(j.p99)} | ${pct(j.mean)} | ${pct(j.throughput)} | ${pct(j.errorRate)} |`,
        );
    }
    lines.push(
      '',
      '▲/▼ significant change (95 % intervals do not overlap) · · within noise · ? no interval',
      '',
    );
    if (regressions.length > 0) {
      lines.push('**Regressions**', '');
      for (const g of regressions) lines.push(`- ${md(g.message)}`);
      lines.push('');
    } else lines.push('No significant regression beyond the tolerance.', '');
  }
  return `${lines.join('\n')}`;
}
