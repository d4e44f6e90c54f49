/**
 * Charts rendered to SVG text at generation time with d3's scales and path generators, so the
 * report needs no script, no network and no browser-side d3: it opens from a file anywhere.
 * Every data mark is a `<path class="series">` (lines, bands, bars, cells), which is what the
 * browser test checks for; hover text uses native SVG `<title>` tooltips.
 */

import { area, curveStepAfter, format, line, scaleLinear, scaleLog } from 'd3';
import { extentOf } from '../results/extent.js';
import { escapeHtml as esc } from './escape.js';
import { LANE_PX, placeLabels } from './marker-lanes.js';

/** Colours of successive series (Tableau 10, readable on white and in print). */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** One line of a chart, with an optional band (x, low, high) drawn beneath it. */
export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
  band?: readonly (readonly [number, number, number])[];
  dashed?: boolean;
  /** Draws the line as steps (a value holds until the next point). */
  step?: boolean;
  /** Palette index (default: the series' position). */
  color?: number;
}

/** A shaded interval on the x axis, e.g. a fault. */
export interface Marker {
  from: number;
  to: number;
  label: string;
}

/** A line chart. */
export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  yMin?: number;
  yMax?: number;
  series: Series[];
  markers?: Marker[];
  /** Custom x tick labels (e.g. percentiles). */
  xTickFormat?: (x: number) => string;
  xTicks?: number[];
}

/** Chart width and margins (px). */
const W = 640;
const H = 240;
const M = { top: 28, right: 16, bottom: 40, left: 60 };

/** Compact number formatting for axes and labels. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e4) return format('.3~s')(x);
  if (a >= 100) return format('.0f')(x);
  if (a >= 1) return format('.3~g')(x);
  if (a === 0) return '0';
  return format('.2~r')(x);
}

/**
 * A y tick label that fits the left margin beside the axis title: `fmt`, but values under 0.01 in
 * e-notation (`5e-5`, not `0.00005`, whose seven characters ran into the title).
 */
export function tickFmt(x: number): string {
  const s = fmt(x);
  const a = Math.abs(x);
  return s.length > 5 && a > 0 && a < 0.01 ? format('.2~e')(x) : s;
}

/** Average width (px) of a tick label's character at the charts' 11 px font. */
const TICK_CHAR_PX = 6.5;

function finite(p: readonly number[]): boolean {
  return p.every(Number.isFinite);
}

function extent(values: number[], log: boolean, min?: number, max?: number): [number, number] {
  const [vlo, vhi] = extentOf(values);
  let lo = min ?? vlo;
  let hi = max ?? vhi;
  if (!log) {
    if (min === undefined) lo = Math.min(0, lo);
    if (max === undefined) hi = hi + (hi - lo) * 0.05;
  }
  if (lo === hi) {
    if (log) [lo, hi] = [lo / 2, hi * 2];
    else if (lo === 0) hi = 1;
    else [lo, hi] = [Math.min(0, lo * 2), Math.max(0, hi * 2)];
  }
  return [lo, hi];
}

export function figure(title: string, svg: string, legend: Series[] = [], note = ''): string {
  const items = legend
    .map((s, i) => {
      const c = PALETTE[(s.color ?? i) % PALETTE.length];
      const style = s.dashed ? `border-top:2px dashed ${c}` : `border-top:3px solid ${c}`;
      return `<li><span class="swatch" style="${style}"></span>${esc(s.name)}</li>`;
    })
    .join('');
  return (
    `<figure class="chart"><figcaption>${esc(title)}</figcaption>${svg}` +
    (items ? `<ul class="legend">${items}</ul>` : '') +
    (note ? `<p class="note">${esc(note)}</p>` : '') +
    '</figure>'
  );
}

function svgOpen(h: number, label: string): string {
  return `<svg class="chart" viewBox="0 0 ${W} ${h}" width="${W}" height="${h}" role="img" aria-label="${esc(label)}">`;
}

/** A line chart as a `<figure>`; empty string when no series has a drawable point. */
export function lineChart(spec: LineChartSpec): string {
  const ok = (p: readonly number[]) =>
    finite(p) && (!spec.xLog || p[0] > 0) && (!spec.yLog || p.slice(1).every((v) => v > 0));
  const series = spec.series
    .map((s, i) => ({
      ...s,
      color: s.color ?? i,
      points: s.points.filter(ok),
      band: s.band?.filter(ok),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return '';
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => [
    ...s.points.map((p) => p[1]),
    ...(s.band ?? []).flatMap((b) => [b[1], b[2]]),
  ]);
  for (const m of spec.markers ?? []) xs.push(m.from, m.to);
  const [x0, x1] = extent(xs, !!spec.xLog);
  const [y0, y1] = extent(ys, !!spec.yLog, spec.yMin, spec.yMax);
  const x = (spec.xLog ? scaleLog() : scaleLinear()).domain([x0, x1]).range([M.left, W - M.right]);
  // Marker labels stack in lanes above the plot (overlapping faults would print over each other),
  // and the chart grows by the lanes it needs.
  const spans = (spec.markers ?? []).map((m) => ({
    from: x(Math.max(m.from, x0)),
    to: x(Math.min(m.to, x1)),
    text: m.label,
  }));
  const { placed, lanes } = placeLabels(spans, W - M.right);
  const top = M.top + (lanes - 1) * LANE_PX;
  const h = H + (lanes - 1) * LANE_PX;
  const y = (spec.yLog ? scaleLog() : scaleLinear())
    .domain([y0, y1])
    .range([h - M.bottom, top])
    .nice();
  const parts: string[] = [svgOpen(h, spec.title)];
  spans.forEach((m, i) => {
    const p = placed[i];
    parts.push(
      `<rect class="marker" x="${m.from.toFixed(1)}" y="${top}" width="${Math.max(1, m.to - m.from).toFixed(1)}" height="${h - top - M.bottom}"><title>${esc(m.text)}</title></rect>`,
      `<text class="marker-label" x="${p.x.toFixed(1)}" y="${top - 4 - p.lane * LANE_PX}"${p.anchor === 'end' ? ' text-anchor="end"' : ''}>${esc(m.text)}</text>`,
    );
  });
  parts.push(axes(x, y, spec, top, h));
  for (const s of series) {
    const c = PALETTE[s.color % PALETTE.length];
    if (s.band && s.band.length > 0) {
      const d = area<readonly [number, number, number]>()
        .x((p) => x(p[0]))
        .y0((p) => y(p[1]))
        .y1((p) => y(p[2]))(s.band);
      parts.push(
        `<path class="series band" d="${d}" fill="${c}" fill-opacity="0.18"><title>${esc(s.name)} 95 % interval</title></path>`,
      );
    }
    const gen = line<readonly [number, number]>()
      .x((p) => x(p[0]))
      .y((p) => y(p[1]));
    if (s.step) gen.curve(curveStepAfter);
    // A single point still draws: a short horizontal tick at its value.
    const pts = s.points.length === 1 ? [s.points[0], [s.points[0][0], s.points[0][1]] as const] : s.points;
    let d = gen(pts) ?? '';
    if (s.points.length === 1) d = `M${(x(s.points[0][0]) - 4).toFixed(1)},${y(s.points[0][1]).toFixed(1)}h8`;
    parts.push(
      `<path class="series line" d="${d}" fill="none" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}><title>${esc(s.name)}</title></path>`,
    );
  }
  parts.push('</svg>');
  return figure(spec.title, parts.join(''), series);
}

type Scale = ((v: number) => number) & {
  ticks(n?: number): number[];
  tickFormat(n?: number, spec?: string): (v: number) => string;
};

function axes(x: Scale, y: Scale, spec: LineChartSpec, top: number, h: number): string {
  const out: string[] = [];
  const xb = h - M.bottom;
  out.push(`<path class="axis" d="M${M.left},${top}V${xb}H${W - M.right}" fill="none"/>`);
  const xTicks = spec.xTicks ?? (spec.xLog ? logTicks(x) : x.ticks(6));
  const xf = spec.xTickFormat ?? fmt;
  for (const t of xTicks) {
    const px = x(t);
    if (!(px >= M.left - 0.5 && px <= W - M.right + 0.5)) continue;
    out.push(
      `<line class="tick" x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${xb}" y2="${xb + 4}"/>`,
      `<text class="tick-label" x="${px.toFixed(1)}" y="${xb + 16}" text-anchor="middle">${esc(xf(t))}</text>`,
    );
  }
  const yTicks = spec.yLog ? logTicks(y) : y.ticks(5);
  let widest = 0;
  for (const t of yTicks) {
    const py = y(t);
    const label = tickFmt(t);
    widest = Math.max(widest, label.length);
    out.push(
      `<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${py.toFixed(1)}" y2="${py.toFixed(1)}"/>`,
      `<text class="tick-label" x="${M.left - 6}" y="${(py + 4).toFixed(1)}" text-anchor="end">${esc(label)}</text>`,
    );
  }
  // The rotated title's centre: 14 px in, further left when the widest tick label needs the room.
  const titleX = Math.max(7, Math.min(14, M.left - 6 - widest * TICK_CHAR_PX - 7));
  out.push(
    `<text class="axis-label" x="${(M.left + W - M.right) / 2}" y="${h - 6}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text class="axis-label" transform="translate(${titleX},${(top + xb) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
  );
  return out.join('');
}

function logTicks(s: Scale): number[] {
  const all = s.ticks();
  const decades = all.filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9);
  return decades.length >= 2 ? decades : all.filter((_, i) => i % Math.ceil(all.length / 6) === 0);
}

/** One bar of a bar chart, with an optional 95 % interval whisker. */
export interface Bar {
  label: string;
  value: number;
  interval?: readonly [number, number];
  color?: number;
  /** Tooltip text (default: label and value). */
  title?: string;
}

/** A horizontal bar chart (labels on the left, so long names stay readable). */
export interface BarChartSpec {
  title: string;
  xLabel: string;
  bars: Bar[];
  max?: number;
  /** Formats values for the labels at the bar ends. */
  format?: (v: number) => string;
  note?: string;
  /** Values may be negative: bars grow left or right of a zero line (relative errors keep their sign). */
  signed?: boolean;
}

/** A horizontal bar chart as a `<figure>`; empty string when there are no finite bars. */
export function barChart(spec: BarChartSpec): string {
  const bars = spec.bars.filter((b) => Number.isFinite(b.value));
  if (bars.length === 0) return '';
  const row = 22;
  const h = M.top + bars.length * row + M.bottom - 8;
  const left = 170;
  const right = W - 70;
  const hi = Math.max(
    spec.max ?? 0,
    ...bars.map((b) => Math.max(b.value, b.interval?.[1] ?? 0)),
    Number.MIN_VALUE,
  );
  const lo = spec.signed ? Math.min(0, ...bars.map((b) => Math.min(b.value, b.interval?.[0] ?? 0))) : 0;
  const x = scaleLinear().domain([lo, hi]).range([left, right]).nice();
  const zero = x(0);
  const f = spec.format ?? fmt;
  const parts: string[] = [svgOpen(h, spec.title)];
  const base = h - M.bottom + 8;
  for (const t of x.ticks(5)) {
    const px = x(t).toFixed(1);
    parts.push(
      `<line class="grid" x1="${px}" x2="${px}" y1="${M.top - 4}" y2="${base}"/>`,
      `<text class="tick-label" x="${px}" y="${base + 14}" text-anchor="middle">${esc(f(t))}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const top = M.top + i * row;
    const c = PALETTE[(b.color ?? 0) % PALETTE.length];
    const at = x(spec.signed ? b.value : Math.max(0, b.value));
    const start = Math.min(zero, at);
    const w = Math.max(1, Math.abs(at - zero));
    const tip = b.title ?? `${b.label}: ${f(b.value)}`;
    parts.push(
      `<text class="bar-label" x="${left - 6}" y="${top + 14}" text-anchor="end">${esc(truncate(b.label, 26))}<title>${esc(b.label)}</title></text>`,
      `<path class="series bar" d="M${start.toFixed(1)},${top + 3}h${w.toFixed(1)}v14h${(-w).toFixed(1)}Z" fill="${c}"><title>${esc(tip)}</title></path>`,
    );
    // A bar left of zero gets its value right of the zero line, clear of the names on the left.
    let end = b.value < 0 && spec.signed ? zero : start + w;
    if (b.interval && finite(b.interval)) {
      const a = x(spec.signed ? b.interval[0] : Math.max(0, b.interval[0]));
      const z = x(b.interval[1]);
      end = Math.max(end, z);
      parts.push(
        `<path class="series whisker" d="M${a.toFixed(1)},${top + 10}H${z.toFixed(1)}M${a.toFixed(1)},${top + 5}v10M${z.toFixed(1)},${top + 5}v10" stroke="#222" fill="none"><title>${esc(`95 % interval ${f(b.interval[0])} – ${f(b.interval[1])}`)}</title></path>`,
      );
    }
    parts.push(
      `<text class="bar-value" x="${(end + 4).toFixed(1)}" y="${top + 14}">${esc(f(b.value))}</text>`,
    );
  });
  if (spec.signed && lo < 0)
    parts.push(
      `<line class="axis zero" x1="${zero.toFixed(1)}" x2="${zero.toFixed(1)}" y1="${M.top - 4}" y2="${base}"/>`,
    );
  parts.push(
    `<text class="axis-label" x="${(left + right) / 2}" y="${h - 4}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    '</svg>',
  );
  return figure(spec.title, parts.join(''), [], spec.note);
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
