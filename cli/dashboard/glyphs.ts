/**
 * Text glyphs of the dashboard: numbers shortened for narrow columns, bars and sparklines. Pure
 * functions of their arguments, shared by the Ink components and the plain progress lines.
 */

import type { BudgetState } from './view.js';

const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * How a budget state reads: its mark in the budget rows, its label in the journey table, its
 * colour in both. Listed worst first: the budget rows show budgets in this order.
 */
export const BUDGET_MARKS: Record<BudgetState, { glyph: string; label: string; color?: string }> = {
  fail: { glyph: '✗', label: '✗ FAIL', color: 'red' },
  nodata: { glyph: '·', label: '· no data', color: 'yellow' },
  unsure: { glyph: '?', label: '? unsure', color: 'yellow' },
  warming: { glyph: '~', label: 'warming up', color: 'cyan' },
  pass: { glyph: '✓', label: '✓ pass', color: 'green' },
  pending: { glyph: '…', label: '… at end' },
  none: { glyph: ' ', label: '' },
};

/** `1234567` → `1.23M`, `0.5` → `0.5`: at most about five characters. */
export function si(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toFixed(a >= 1e10 ? 1 : 2)}G`;
  if (a >= 1e6) return `${(x / 1e6).toFixed(a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e4) return `${(x / 1e3).toFixed(a >= 1e5 ? 0 : 1)}k`;
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** A count: exact below 10 000 (`1234`), shortened above (`12.3k`). */
export function int(x: number): string {
  return Number.isFinite(x) && Math.abs(x) < 1e4 ? String(Math.round(x)) : si(x);
}

/** Milliseconds with a unit that keeps them short: `850us`, `12.3ms`, `4.52s`. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return '-';
  if (x < 1) return `${(x * 1000).toFixed(0)}us`;
  if (x < 1000) return `${x < 100 ? x.toFixed(1) : x.toFixed(0)}ms`;
  return `${(x / 1000).toFixed(x < 10_000 ? 2 : 1)}s`;
}

/** A share 0..1 as `12.3%`. */
export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '-';
}

/** Simulated seconds as `950s`, `12m30s`, `2h05m`. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 600) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A horizontal bar `width` cells wide filled to `share` (clamped to 0..1). */
export function bar(share: number, width: number, full = '█', empty = '░'): string {
  const w = Math.max(0, Math.floor(width));
  const n = Math.round(Math.min(1, Math.max(0, Number.isFinite(share) ? share : 0)) * w);
  return full.repeat(n) + empty.repeat(w - n);
}

/**
 * The last `width` values as a sparkline scaled from 0 to their maximum (so a flat line at a high
 * level reads high, and a dip reads as a dip). Padded on the left with spaces while history is short.
 */
export function sparkline(values: readonly number[], width: number): string {
  const w = Math.max(0, Math.floor(width));
  const tail = values.slice(-w).map((v) => (Number.isFinite(v) ? Math.max(0, v) : 0));
  const max = Math.max(0, ...tail);
  const cells = tail.map((v) => (max > 0 ? SPARKS[Math.min(7, Math.floor((v / max) * 7.999))] : SPARKS[0]));
  return ' '.repeat(w - cells.length) + cells.join('');
}

/**
 * A name cut in the middle to `width` characters (`recommendations` → `recomm…tions`), or padded to
 * it: names that share a prefix (`search-v1`, `search-v2`) stay apart by their ends.
 */
export function padName(name: string, width: number): string {
  const w = Math.max(0, width);
  if (name.length <= w || w < 3) return pad(name, w);
  const head = Math.ceil((w - 1) / 2);
  return `${name.slice(0, head)}…${name.slice(name.length - (w - 1 - head))}`;
}

/** `text` cut to `width` characters with an ellipsis, or padded to it. */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const w = Math.max(0, width);
  const t = text.length > w ? (w > 1 ? `${text.slice(0, w - 1)}…` : text.slice(0, w)) : text;
  return align === 'left' ? t.padEnd(w) : t.padStart(w);
}
