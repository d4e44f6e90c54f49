/**
 * A sweep heatmap: a metric over two swept variables, each cell's text black or white by contrast
 * with its fill, and a colour scale never narrower than the widest confidence interval so noise is
 * not painted as a difference.
 */
import { interpolateYlOrRd, rgb } from 'd3';
import { intervalVerdict } from '../results/budgets.js';
import { extentOf } from '../results/extent.js';
import { figure, fmt, M, svgOpen, truncate, W } from './charts.js';
import { textOn } from './contrast.js';
import { escapeHtml as esc } from './escape.js';

/** A heatmap of a metric over two swept variables. */
export interface HeatmapSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xs: string[];
  ys: string[];
  /** `values[yi][xi]`; NaN leaves a cell empty. */
  values: number[][];
  /** 95 % intervals in the same layout, when replications gave them. */
  intervals?: (readonly [number, number] | undefined)[][];
  /**
   * A budget on the metric: cells are coloured by verdict instead of by value — met, missed, or
   * unsure (neutral, marked ≈) when the cell's interval straddles the limit.
   */
  budget?: { op: '<' | '<=' | '>' | '>='; limit: number };
  format?: (v: number) => string;
}

/** Verdict fills: a light green, a red strong enough to need white text, a neutral grey. */
const VERDICT_FILL = { met: '#cfe8cf', missed: '#b2182b', unsure: '#e6e6e6' };
type Verdict = keyof typeof VERDICT_FILL;
const verdictOf = (v: boolean | null): Verdict => (v === true ? 'met' : v === false ? 'missed' : 'unsure');

/**
 * A heatmap as a `<figure>`; empty string when no cell has a value. Each cell's text is black or
 * white, whichever contrasts more with its fill (≥ 4.58:1 on any fill). Without a budget the colour
 * scale spans at least the widest 95 % interval, so differences that noise could explain are drawn
 * as (nearly) one colour rather than as the full range of the palette.
 */
export function heatmap(spec: HeatmapSpec): string {
  const all = spec.values.flat().filter(Number.isFinite);
  if (all.length === 0 || spec.xs.length === 0 || spec.ys.length === 0) return '';
  const [lo, hi] = extentOf(all);
  const ci = (yi: number, xi: number) => spec.intervals?.[yi]?.[xi];
  const noise = Math.max(
    0,
    ...spec.values.flatMap((row, yi) =>
      row.map((_, xi) => {
        const c = ci(yi, xi);
        return c && Number.isFinite(c[1] - c[0]) ? c[1] - c[0] : 0;
      }),
    ),
  );
  const span = Math.max(hi - lo, noise);
  const f = spec.format ?? fmt;
  const left = 110;
  const cw = Math.max(24, Math.min(90, (W - left - M.right) / spec.xs.length));
  const ch = 26;
  const h = M.top + ch * spec.ys.length + M.bottom;
  const parts: string[] = [svgOpen(h, spec.title)];
  let unsure = 0;
  spec.ys.forEach((yl, yi) => {
    const top = M.top + yi * ch;
    parts.push(
      `<text class="tick-label" x="${left - 6}" y="${top + 17}" text-anchor="end">${esc(truncate(yl, 16))}</text>`,
    );
    spec.xs.forEach((_, xi) => {
      const v = spec.values[yi]?.[xi];
      if (!Number.isFinite(v)) return;
      const c = ci(yi, xi);
      const judged: [number, number] = c?.every(Number.isFinite) ? [c[0], c[1]] : [v, v];
      const b = spec.budget;
      const verdict = b ? verdictOf(intervalVerdict(judged, b.op, b.limit)) : undefined;
      if (verdict === 'unsure') unsure++;
      const fill = verdict
        ? VERDICT_FILL[verdict]
        : rgb(interpolateYlOrRd(0.05 + 0.9 * (span > 0 ? (v - lo) / span : 0))).formatHex();
      const px = left + xi * cw;
      const label = `${verdict === 'unsure' ? '≈' : ''}${f(v)}`;
      const tip = `${spec.xLabel} ${spec.xs[xi]}, ${spec.yLabel} ${yl}: ${f(v)}${c ? ` (95 % interval ${f(c[0])} – ${f(c[1])})` : ''}${verdict ? ` · ${verdict}` : ''}`;
      parts.push(
        `<path class="series cell${verdict ? ` ${verdict}` : ''}" d="M${px.toFixed(1)},${top}h${(cw - 2).toFixed(1)}v${ch - 2}h${(-(cw - 2)).toFixed(1)}Z" fill="${fill}"><title>${esc(tip)}</title></path>`,
        `<text class="cell-value" x="${(px + cw / 2 - 1).toFixed(1)}" y="${top + 17}" text-anchor="middle" fill="${textOn(fill)}">${esc(label)}</text>`,
      );
    });
  });
  const base = M.top + ch * spec.ys.length;
  spec.xs.forEach((xl, xi) => {
    parts.push(
      `<text class="tick-label" x="${(left + xi * cw + cw / 2).toFixed(1)}" y="${base + 14}" text-anchor="middle">${esc(truncate(xl, 10))}</text>`,
    );
  });
  parts.push(
    `<text class="axis-label" x="${left + (cw * spec.xs.length) / 2}" y="${h - 6}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text class="axis-label" x="4" y="${M.top - 8}">${esc(spec.yLabel)}</text>`,
    '</svg>',
  );
  const note = spec.budget
    ? `Green: met; red: missed; grey ≈: unsure, the 95 % interval straddles the limit${unsure ? ` (${unsure} cell${unsure > 1 ? 's' : ''})` : ''}.`
    : noise > 0 && hi - lo <= noise
      ? 'The whole spread lies within one 95 % interval: the colours are compressed, not a difference.'
      : '';
  return figure(spec.title, parts.join(''), [], note);
}
