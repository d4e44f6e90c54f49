/**
 * `report.html`: one self-contained page (inline CSS and SVG, no script, no network) that reads from
 * a file anywhere. Charts are drawn at generation time (see `charts.ts`); a Content-Security-Policy
 * forbids scripts and remote loads outright, and every scenario-provided string is escaped besides.
 *
 * Optional RunResult sections (timeline, faults, services, cdn, p2p, stores, streams, ci) are read
 * defensively: a panel appears only when its data is there. Each section is its own module under
 * `html/`; this one holds the page around them (CSS, section order, the security policy).
 */
import type { RunResult } from '../results/run-result.js';
import { escapeHtml as esc } from './escape.js';
import { cdfSection } from './html/cdf.js';
import { contentSection } from './html/content.js';
import { header } from './html/header.js';
import { intervalSection } from './html/intervals.js';
import { predictedSection } from './html/predicted.js';
import { stepsSection } from './html/steps.js';
import { sweepSection } from './html/sweep.js';
import { budgetSection, faultsSection, journeySection, servicesSection } from './html/tables.js';
import { timelineSection } from './html/timeline.js';

/** Options of {@link renderHtml}. */
export interface HtmlOptions {
  /** A second result (typically the simulation) drawn as "predicted" beside this one. */
  predicted?: RunResult;
  /** A sweep to draw as heatmaps (read defensively; see `SweepData` in html/sweep.ts). */
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
    stepsSection(r),
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
