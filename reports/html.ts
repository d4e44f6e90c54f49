/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no network) that reads from
 * a file anywhere. Charts are drawn at generation time (see `charts.ts`); a Content-Security-Policy
 * forbids scripts and remote loads outright, and every scenario-provided string is escaped besides.
 *
 * Optional RunResult sections (timeline, faults, services, cdn, p2p, stores, streams, ci) are read
 * defensively: a panel appears only when its data is there.
 */
import { LatencyHistogram } from '../results/histogram.js';
import type { Interval, JourneyResult, RunResult } from '../results/run-result.js';
import type { SweepResult } from '../results/sweep.js';
import { type Bar, barChart, fmt, heatmap, lineChart, type Marker, type Series } from './charts.js';
import { escapeHtml as esc } from './escape.js';

/** A sweep as the HTML report draws it: one point per grid cell, each with its varied values. */
export interface SweepData {
  /** The varied keys, e.g. `services.gateway.replicas`. The first two become the heatmap axes. */
  vars: string[];
  points: { values: Record<string, string | number>; result?: RunResult; metrics?: Record<string, number> }[];
}

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** A second result (typically the simulation) drawn as "predicted" beside this one. */
  predicted?: RunResult;
  /** A sweep to draw as heatmaps (read defensively; see {@link SweepData}). */
  sweep?: unknown;
}

const CSS = `
:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}
body{margin:0 auto;max-width:1360px;padding:16px 24px}
h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555}.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:600;color:#fff}
.pass{background:#2e7d32}.fail{background:#c62828}.unsure{background:#ef6c00}.none{background:#757575}
table{border-collapse:collapse;margin:6px 0 12px;background:#fff}
th,td{border:1px solid #e0e0e0;padding:3px 8px;text-align:right;font-variant-numeric:tabular-nums}
th:first-child,td:first-child{text-align:left}th{background:#f0f0f0}
td.pass{color:#2e7d32;background:none;font-weight:600}td.fail{color:#c62828;background:none;font-weight:600}
td.unsure{color:#ef6c00;background:none;font-weight:600}
.grid{display:flex;flex-wrap:wrap;gap:12px}
figure.chart{margin:0;background:#fff;border:1px solid #e0e0e0;border-radius:4px;padding:8px;flex:0 1 620px;min-width:320px}
figcaption{font-weight:600;margin-bottom:4px}
svg.chart{width:100%;height:auto;font-size:11px}
svg .axis{stroke:#555}svg .tick{stroke:#555}svg .grid{stroke:#eee}
svg .tick-label,svg .bar-value,svg .cell-value{fill:#444}svg .axis-label{fill:#333;font-weight:600}
svg .marker{fill:#c62828;fill-opacity:.08}svg .marker-label{fill:#c62828;font-size:10px}
ul.legend{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:10px;font-size:12px}
.swatch{display:inline-block;width:18px;margin-right:4px;vertical-align:middle}
.note{color:#666;font-size:12px;margin:4px 0 0}
`;

/** Renders the report page for `result` (and `opts.predicted` beside it). */
export function renderHtml(result: RunResult, opts: HtmlOptions = {}): string {
  const r = result;
  const p = opts.predicted;
  const name = r.scenario?.name ?? 'scenario';
  const sections = [
    header(r, p),
    budgetSection(r),
    journeySection(r),
    cdfSection(r, p),
    p ? predictedSection(r, p) : '',
    intervalSection(r),
    timelineSection(r, p),
    servicesSection(r),
    contentSection(r),
    sweepSection(opts.sweep),
    faultsSection(r),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(name)} · backline report</title>
<style>${CSS}</style></head>
<body>
${sections.filter(Boolean).join('\n')}
</body></html>
`;
}

function verdictOf(r: RunResult): { cls: string; text: string } {
  const budgets = r.budgets ?? [];
  if (budgets.length === 0) return { cls: 'none', text: 'no budgets' };
  if (budgets.some((b) => b.pass === false)) return { cls: 'fail', text: 'FAIL' };
  if (budgets.some((b) => b.pass === null)) return { cls: 'unsure', text: 'UNSURE' };
  return { cls: 'pass', text: 'PASS' };
}

function header(r: RunResult, p?: RunResult): string {
  const v = verdictOf(r);
  const bits = [
    `${r.kind === 'load' ? 'load test' : 'simulation'}${r.tool ? ` (${r.tool})` : ''}`,
    r.seed !== undefined ? `seed ${r.seed}` : '',
    `${r.replications ?? 1} replication(s)`,
    r.window ? `window ${fmt(r.window.start)} s – ${fmt(r.window.end)} s` : '',
    r.events !== undefined ? `${r.events.toLocaleString('en-US')} events` : '',
    r.target?.url ? `target ${safeUrl(r.target.url)}` : '',
    r.scenario?.hash ? `scenario hash ${r.scenario.hash.slice(0, 12)}` : '',
  ].filter(Boolean);
  return `<header><h1>${esc(r.scenario?.name ?? 'scenario')} <span class="verdict ${v.cls}">${v.text}</span></h1>
<p class="meta">${esc(bits.join(' · '))}${r.partial ? ' · <strong>partial: stopped early</strong>' : ''}</p>
${p ? `<p class="meta">Predicted (${esc(p.kind)}${p.seed !== undefined ? `, seed ${esc(p.seed)}` : ''}) is drawn dashed beside measured (${esc(r.kind)}).</p>` : ''}</header>`;
}

/** Drops credentials from a URL so they never reach a report. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

function budgetSection(r: RunResult): string {
  const budgets = r.budgets ?? [];
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

function journeySection(r: RunResult): string {
  const entries = Object.entries(r.journeys ?? {});
  if (entries.length === 0) return '<h2>Journeys</h2><p class="meta">No journeys finished.</p>';
  const rows = entries
    .map(([name, j]) => {
      const l = j.latency ?? ({} as JourneyResult['latency']);
      const errs = Object.entries(j.errors ?? {})
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ');
      return `<tr><td>${esc(name)}</td><td>${esc((j.count ?? 0).toLocaleString('en-US'))}</td><td>${ciText(j.throughput, j.ci?.throughput)}</td><td>${esc(fmt((j.errorRate ?? 0) * 100))} %${errs ? ` <small>(${esc(errs)})</small>` : ''}</td><td>${ciText(l.mean, j.ci?.mean)}</td><td>${ciText(l.p50, j.ci?.p50)}</td><td>${esc(fmt(l.p90))}</td><td>${ciText(l.p99, j.ci?.p99)}</td><td>${esc(fmt(l.p999))}</td><td>${esc(fmt(l.max))}</td></tr>`;
    })
    .join('');
  return `<h2>Journeys</h2><table><thead><tr><th>journey</th><th>count</th><th>throughput /s</th><th>errors</th><th>mean ms</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const CDF_PERCENTILES = (() => {
  const ps: number[] = [];
  for (let q = 1; q < 100; q++) ps.push(q);
  ps.push(99.5, 99.9, 99.95, 99.99, 99.999, 100);
  return ps;
})();

/** `[latency ms, percentile]` pairs of a journey's histogram, or none when it cannot be decoded. */
export function cdfPoints(j: JourneyResult | undefined): [number, number][] {
  if (!j?.hdr || !(j.count > 0)) return [];
  let h: LatencyHistogram;
  try {
    h = LatencyHistogram.decode(j.hdr, j.sumSeconds);
  } catch {
    return [];
  }
  if (h.count === 0) return [];
  return CDF_PERCENTILES.map((q) => [h.percentileMs(q), q] as [number, number]);
}

function cdfSection(r: RunResult, p?: RunResult): string {
  const charts = Object.entries(r.journeys ?? {}).map(([name, j], i) => {
    const measured = cdfPoints(j);
    const predicted = p ? cdfPoints(p.journeys?.[name]) : [];
    const xs = [...measured, ...predicted].map((pt) => pt[0]).filter((x) => x > 0);
    const wide = xs.length > 0 && Math.max(...xs) / Math.min(...xs) > 20;
    const series: Series[] = [{ name: p ? `${name} measured` : name, points: measured, color: i }];
    if (predicted.length > 0)
      series.push({ name: `${name} predicted`, points: predicted, dashed: true, color: i });
    return lineChart({
      title: `Latency CDF · ${name}`,
      xLabel: 'latency (ms)',
      yLabel: 'percentile (%)',
      xLog: wide,
      yMin: 0,
      yMax: 100,
      series,
    });
  });
  const body = charts.filter(Boolean).join('');
  return body ? `<h2>Latency distribution</h2><div class="grid">${body}</div>` : '';
}

function relErr(predicted: number, measured: number): string {
  if (!Number.isFinite(predicted) || !Number.isFinite(measured)) return '–';
  if (measured === 0) return predicted === 0 ? '0 %' : '∞';
  const e = ((predicted - measured) / measured) * 100;
  return `${e >= 0 ? '+' : ''}${e.toFixed(1)} %`;
}

function predictedSection(r: RunResult, p: RunResult): string {
  const rows: string[] = [];
  const bars: Bar[] = [];
  Object.entries(r.journeys ?? {}).forEach(([name, m], i) => {
    const q = p.journeys?.[name];
    if (!q) {
      rows.push(`<tr><td>${esc(name)}</td><td colspan="7">not in the predicted result</td></tr>`);
      return;
    }
    rows.push(
      `<tr><td>${esc(name)}</td><td>${esc(fmt(q.latency.p50))}</td><td>${esc(fmt(m.latency.p50))}</td><td>${esc(relErr(q.latency.p50, m.latency.p50))}</td><td>${esc(fmt(q.latency.p99))}</td><td>${esc(fmt(m.latency.p99))}</td><td>${esc(relErr(q.latency.p99, m.latency.p99))}</td><td>${esc(relErr(q.throughput, m.throughput))}</td></tr>`,
    );
    if (m.latency.p99 > 0)
      bars.push({
        label: name,
        value: Math.abs((q.latency.p99 - m.latency.p99) / m.latency.p99) * 100,
        color: i,
        title: `${name}: p99 predicted ${fmt(q.latency.p99)} ms, measured ${fmt(m.latency.p99)} ms`,
      });
  });
  const chart = barChart({
    title: 'Relative error of predicted p99 per journey',
    xLabel: '|predicted − measured| / measured (%)',
    bars,
    format: (v) => `${fmt(v)} %`,
  });
  return `<h2>Predicted vs measured</h2><table><thead><tr><th>journey</th><th>p50 predicted</th><th>p50 measured</th><th>error</th><th>p99 predicted</th><th>p99 measured</th><th>error</th><th>throughput error</th></tr></thead><tbody>${rows.join('')}</tbody></table>${chart ? `<div class="grid">${chart}</div>` : ''}`;
}

function intervalSection(r: RunResult): string {
  const entries = Object.entries(r.journeys ?? {}).filter(([, j]) => j.ci);
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

function markersOf(r: RunResult): Marker[] {
  const out = (r.faults ?? []).map((f) => ({ from: f.at, to: f.at + f.for, label: f.label }));
  // The warm-up is outside the statistics; shading it explains the ramp at the start of a timeline.
  const t0 = r.timeline?.t?.[0];
  const start = r.window?.start ?? 0;
  if (t0 !== undefined && start > t0) out.unshift({ from: t0, to: start, label: 'warm-up' });
  return out;
}

function timelineSection(r: RunResult, p?: RunResult): string {
  const tl = r.timeline;
  const markers = markersOf(r);
  const charts: string[] = [];
  if (tl && Array.isArray(tl.t) && tl.t.length > 0) {
    const names = Object.keys(tl.journeys ?? {});
    const ptl = p?.timeline;
    const zip = (t: number[], ys: number[] | undefined) =>
      (ys ?? []).map((y, k) => [t[k], y] as [number, number]).filter((pt) => pt[0] !== undefined);
    const lat: Series[] = [];
    names.forEach((name, i) => {
      const s = tl.journeys[name];
      lat.push({ name: `${name} p99`, points: zip(tl.t, s.p99), color: i });
      lat.push({ name: `${name} p50`, points: zip(tl.t, s.p50), color: i, dashed: true });
      const ps = ptl?.journeys?.[name];
      if (ps)
        lat.push({ name: `${name} p99 predicted`, points: zip(ptl.t, ps.p99), color: i + 5, dashed: true });
    });
    charts.push(
      lineChart({
        title: 'Latency percentiles over time',
        xLabel: 'time (s)',
        yLabel: 'ms',
        series: lat,
        markers,
      }),
    );
    charts.push(
      lineChart({
        title: 'Throughput over time',
        xLabel: 'time (s)',
        yLabel: 'journeys per second',
        series: names.flatMap((name, i) => {
          const out: Series[] = [{ name, points: zip(tl.t, tl.journeys[name].throughput), color: i }];
          const ps = ptl?.journeys?.[name];
          if (ps)
            out.push({
              name: `${name} predicted`,
              points: zip(ptl.t, ps.throughput),
              color: i,
              dashed: true,
            });
          return out;
        }),
        markers,
      }),
    );
    charts.push(
      lineChart({
        title: 'Errors over time',
        xLabel: 'time (s)',
        yLabel: 'failed journeys per interval',
        series: names.map((name, i) => ({ name, points: zip(tl.t, tl.journeys[name].errors), color: i })),
        markers,
      }),
    );
    const svcNames = Object.keys(tl.services ?? {});
    if (svcNames.length > 0) {
      charts.push(
        lineChart({
          title: 'Utilization per service',
          xLabel: 'time (s)',
          yLabel: 'busy share (%)',
          yMin: 0,
          yMax: 100,
          series: svcNames.map((name, i) => ({
            name,
            points: zip(
              tl.t,
              (tl.services[name].utilization ?? []).map((u) => u * 100),
            ),
            color: i,
          })),
          markers,
        }),
        lineChart({
          title: 'Replicas per service',
          xLabel: 'time (s)',
          yLabel: 'replicas',
          series: svcNames.map((name, i) => ({
            name,
            points: zip(tl.t, tl.services[name].replicas),
            color: i,
            step: true,
          })),
          markers,
        }),
        lineChart({
          title: 'Queue per service',
          xLabel: 'time (s)',
          yLabel: 'requests waiting',
          series: svcNames.map((name, i) => ({ name, points: zip(tl.t, tl.services[name].queue), color: i })),
          markers,
        }),
      );
    }
  } else {
    // No per-interval series: draw the window totals instead, so the same questions still have charts.
    const js = Object.entries(r.journeys ?? {});
    charts.push(
      barChart({
        title: 'Throughput per journey',
        xLabel: 'journeys per second',
        bars: js.map(([name, j], i) => ({ label: name, value: j.throughput, color: i })),
      }),
      barChart({
        title: 'Error rate per journey',
        xLabel: 'failed share (%)',
        bars: js.map(([name, j], i) => ({ label: name, value: (j.errorRate ?? 0) * 100, color: i })),
        format: (v) => `${fmt(v)} %`,
      }),
    );
    const svc = Object.entries(r.services ?? {});
    if (svc.length > 0)
      charts.push(
        barChart({
          title: 'Utilization per service',
          xLabel: 'busy share of workers (%)',
          max: 100,
          bars: svc.map(([name, s], i) => ({ label: name, value: s.utilization * 100, color: i })),
          format: (v) => `${fmt(v)} %`,
        }),
      );
  }
  // Replica changes (autoscaling, crashes) are exact step series even without a timeline.
  const steps = Object.entries(r.services ?? {}).filter(([, s]) => (s.replicasOverTime?.length ?? 0) > 0);
  if (steps.length > 0) {
    const end = r.window?.end;
    charts.push(
      lineChart({
        title: 'Replica changes per service',
        xLabel: 'time (s)',
        yLabel: 'replicas',
        yMin: 0,
        series: steps.map(([name, s], i) => {
          const pts = (s.replicasOverTime ?? []).map(([t, n]) => [t, n] as [number, number]);
          const last = pts[pts.length - 1];
          if (end !== undefined && last && end > last[0]) pts.push([end, last[1]]);
          return { name, points: pts, step: true, color: i };
        }),
        markers,
      }),
    );
  }
  const breakers = Object.entries(r.services ?? {}).filter(([, s]) => (s.breaker?.length ?? 0) > 0);
  if (breakers.length > 0) {
    const level = { closed: 0, 'half-open': 0.5, open: 1 } as const;
    const end = r.window?.end;
    charts.push(
      lineChart({
        title: 'Circuit breaker state (0 closed · 0.5 half-open · 1 open)',
        xLabel: 'time (s)',
        yLabel: 'state',
        yMin: 0,
        yMax: 1.05,
        series: breakers.map(([name, s], i) => {
          const pts: [number, number][] = [[r.window?.start ?? 0, 0]];
          for (const [t, st] of s.breaker ?? []) pts.push([t, level[st] ?? 0]);
          const last = pts[pts.length - 1];
          if (end !== undefined && end > last[0]) pts.push([end, last[1]]);
          return { name, points: pts, step: true, color: i };
        }),
        markers,
      }),
    );
  }
  const body = charts.filter(Boolean).join('');
  return body ? `<h2>Over time</h2><div class="grid">${body}</div>` : '';
}

function servicesSection(r: RunResult): string {
  const svc = Object.entries(r.services ?? {});
  if (svc.length === 0) return '';
  const rows = svc
    .map(([name, s]) => {
      const opens = (s.breaker ?? []).filter(([, st]) => st === 'open').length;
      return `<tr><td>${esc(name)}</td><td>${esc(s.replicas)}</td><td>${esc(s.workers)}</td><td>${ciText(
        s.utilization * 100,
        s.ci ? [s.ci.utilization[0] * 100, s.ci.utilization[1] * 100] : undefined,
      )} %</td><td>${ciText(s.queue, s.ci?.queue)}</td><td>${esc((s.served ?? 0).toLocaleString('en-US'))}</td><td>${esc((s.rejected ?? 0).toLocaleString('en-US'))}</td><td>${esc(s.retries ?? 0)}</td><td>${esc(s.timeouts ?? 0)}</td><td>${esc(s.shed ?? 0)}</td><td>${esc(opens)}</td><td>${s.cost !== undefined ? esc(fmt(s.cost)) : '–'}</td></tr>`;
    })
    .join('');
  return `<h2>Services</h2><table><thead><tr><th>service</th><th>replicas</th><th>workers</th><th>utilization</th><th>mean queue</th><th>served</th><th>rejected</th><th>retries</th><th>timeouts</th><th>shed</th><th>breaker opens</th><th>cost</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function contentSection(r: RunResult): string {
  const out: string[] = [];
  const edges = Object.entries(r.cdn ?? {});
  if (edges.length > 0) {
    const rows = edges
      .map(
        ([name, e]) =>
          `<tr><td>${esc(name)}</td><td>${esc((e.requests ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(e.hitRatio * 100))} %</td><td>${esc(fmt(e.byteHitRatio * 100))} %</td><td>${esc(e.originFetches)}</td><td>${esc(e.coalesced)}</td></tr>`,
      )
      .join('');
    const chart = barChart({
      title: 'CDN hit ratio per edge',
      xLabel: 'hits (%)',
      max: 100,
      bars: edges.flatMap(([name, e], i) => [
        { label: `${name} requests`, value: e.hitRatio * 100, color: i },
        { label: `${name} bytes`, value: e.byteHitRatio * 100, color: i },
      ]),
      format: (v) => `${fmt(v)} %`,
    });
    out.push(
      `<h2>CDN</h2><table><thead><tr><th>edge</th><th>requests</th><th>hit ratio</th><th>byte hit ratio</th><th>origin fetches</th><th>coalesced</th></tr></thead><tbody>${rows}</tbody></table><div class="grid">${chart}</div>`,
    );
  }
  const p2p = r.p2p;
  if (p2p) {
    const chart = barChart({
      title: 'Where the bytes came from',
      xLabel: 'share of bytes (%)',
      max: 100,
      bars: [
        { label: 'server', value: p2p.serverShare * 100, color: 2 },
        { label: 'peers', value: p2p.peerShare * 100, color: 4 },
        { label: 'local cache', value: p2p.cacheShare * 100, color: 0 },
      ],
      format: (v) => `${fmt(v)} %`,
    });
    const ps = p2p.playbackStart;
    out.push(
      `<h2>P2P streaming</h2><table><thead><tr><th>plays</th><th>server share</th><th>peer share</th><th>cache share</th><th>playback start p50 ms</th><th>p99 ms</th><th>stutter</th></tr></thead><tbody><tr><td>${esc((p2p.plays ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(p2p.serverShare * 100))} %</td><td>${esc(fmt(p2p.peerShare * 100))} %</td><td>${esc(fmt(p2p.cacheShare * 100))} %</td><td>${esc(fmt(ps?.p50 ?? Number.NaN))}</td><td>${esc(fmt(ps?.p99 ?? Number.NaN))}</td><td>${esc(fmt((p2p.stutterRate ?? 0) * 100))} %</td></tr></tbody></table><div class="grid">${chart}</div>`,
    );
  }
  const stores = Object.entries(r.stores ?? {});
  if (stores.length > 0) {
    const rows = stores
      .map(
        ([name, s]) =>
          `<tr><td>${esc(name)}</td><td>${esc(s.shards)}</td><td>${esc(fmt(s.cv))}</td><td>${esc(s.unavailable)}</td><td>${esc(fmt(s.latency?.p50 ?? Number.NaN))}</td><td>${esc(fmt(s.latency?.p99 ?? Number.NaN))}</td></tr>`,
      )
      .join('');
    const charts = stores.map(([name, s], i) =>
      barChart({
        title: `Load per shard · ${name}`,
        xLabel: 'requests',
        bars: (s.load ?? []).map((n, k) => ({ label: `shard ${k}`, value: n, color: i })),
      }),
    );
    out.push(
      `<h2>Stores</h2><table><thead><tr><th>store</th><th>shards</th><th>load CV</th><th>unavailable</th><th>p50 ms</th><th>p99 ms</th></tr></thead><tbody>${rows}</tbody></table><div class="grid">${charts.join('')}</div>`,
    );
  }
  const streams = Object.entries(r.streams ?? {});
  if (streams.length > 0) {
    const rows = streams
      .map(
        ([name, s]) =>
          `<tr><td>${esc(name)}</td><td>${esc((s.produced ?? 0).toLocaleString('en-US'))}</td><td>${esc((s.consumed ?? 0).toLocaleString('en-US'))}</td><td>${esc(fmt(s.lagMessages?.p99 ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.mean ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.p99 ?? Number.NaN))}</td><td>${esc(fmt(s.lagSeconds?.max ?? Number.NaN))}</td></tr>`,
      )
      .join('');
    const chart = barChart({
      title: 'Consumer lag per stream',
      xLabel: 'seconds',
      bars: streams.flatMap(([name, s], i) => [
        { label: `${name} mean`, value: s.lagSeconds?.mean ?? Number.NaN, color: i },
        { label: `${name} p99`, value: s.lagSeconds?.p99 ?? Number.NaN, color: i },
      ]),
    });
    out.push(
      `<h2>Event streams</h2><table><thead><tr><th>stream</th><th>produced</th><th>consumed</th><th>lag p99 (messages)</th><th>lag mean s</th><th>lag p99 s</th><th>lag max s</th></tr></thead><tbody>${rows}</tbody></table>${chart ? `<div class="grid">${chart}</div>` : ''}`,
    );
  }
  return out.join('\n');
}

/**
 * Reads an unknown sweep value as {@link SweepData}: either that shape already, or a
 * `SweepResult` (results/sweep.ts: `vary` keys and `points` with `overrides` and `result`).
 */
export function asSweep(sweep: unknown): SweepData | undefined {
  const w = sweep as Partial<SweepResult> | undefined;
  if (w && Array.isArray(w.vary) && Array.isArray(w.points)) {
    return {
      vars: w.vary.map((v) => v.key),
      points: w.points
        .filter((p) => p && typeof p.overrides === 'object')
        .map((p) => ({ values: p.overrides, result: p.result })),
    };
  }
  const s = sweep as SweepData | undefined;
  if (!s || !Array.isArray(s.vars) || !Array.isArray(s.points) || s.vars.length === 0) return undefined;
  if (!s.points.every((p) => p && typeof p.values === 'object' && p.values !== null)) return undefined;
  return s;
}

function sweepSection(sweep: unknown): string {
  const s = asSweep(sweep);
  if (!s) return '';
  const [vx, vy] = s.vars;
  const key = (v: unknown) => String(v);
  const xs = unique(s.points.map((p) => key(p.values[vx])));
  const ys = vy ? unique(s.points.map((p) => key(p.values[vy]))) : ['all'];
  const metricsOf = (p: SweepData['points'][number]): Record<string, number> => {
    if (p.metrics) return p.metrics;
    const m: Record<string, number> = {};
    for (const [name, j] of Object.entries(p.result?.journeys ?? {})) {
      m[`${name}.p99 ms`] = j.latency?.p99;
      m[`${name}.errors %`] = (j.errorRate ?? 0) * 100;
    }
    return m;
  };
  const metrics = unique(s.points.flatMap((p) => Object.keys(metricsOf(p))));
  const charts = metrics.map((metric) => {
    const values = ys.map(() => xs.map(() => Number.NaN));
    for (const p of s.points) {
      const xi = xs.indexOf(key(p.values[vx]));
      const yi = vy ? ys.indexOf(key(p.values[vy])) : 0;
      values[yi][xi] = metricsOf(p)[metric] ?? Number.NaN;
    }
    return heatmap({ title: `Sweep · ${metric}`, xLabel: vx, yLabel: vy ?? '', xs, ys, values });
  });
  const body = charts.filter(Boolean).join('');
  return body
    ? `<h2>Sweep</h2><p class="meta">${s.points.length} points.</p><div class="grid">${body}</div>`
    : '';
}

function faultsSection(r: RunResult): string {
  const faults = r.faults ?? [];
  if (faults.length === 0) return '';
  const rows = faults
    .map((f) => `<tr><td>${esc(f.label)}</td><td>${esc(fmt(f.at))} s</td><td>${esc(fmt(f.for))} s</td></tr>`)
    .join('');
  return `<h2>Faults</h2><table><thead><tr><th>fault</th><th>at</th><th>for</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
