/**
 * Sweeps as heatmap tables: the first varied key runs across, the others down. One panel per budget
 * (cells coloured by verdict: pass, unsure — its 95 % interval straddles the limit — or fail) and
 * one per journey metric (p99, error rate) on a light sequential scale. Every colour is light and
 * every text dark, so no cell is dark on dark. The metric scale is never narrower than the widest
 * 95 % interval: a spread that noise could explain is drawn as (nearly) one colour, not as a
 * difference. Read defensively, as a sweep arrives untyped.
 */
import type { BudgetResult, Interval, RunResult } from '../../results/run-result.js';
import type { SweepResult } from '../../results/sweep.js';
import { escapeHtml as esc } from '../escape.js';

/** A sweep as the report draws it: the varied keys and one point per grid cell. */
export interface SweepData {
  /** The varied keys, e.g. `services.gateway.replicas`. The first runs across. */
  vars: string[];
  points: { values: Record<string, string | number>; result?: RunResult; metrics?: Record<string, number> }[];
}

/** Reads an unknown value as {@link SweepData}: that shape already, or a `SweepResult`. */
export function asSweep(sweep: unknown): SweepData | undefined {
  const w = sweep as Partial<SweepResult> | undefined;
  if (w && Array.isArray(w.vary) && Array.isArray(w.points)) {
    return {
      vars: w.vary.map((v) => v.key),
      points: w.points
        .filter((p) => p && typeof p.overrides === 'object' && p.overrides !== null)
        .map((p) => ({ values: p.overrides, result: p.result })),
    };
  }
  const s = sweep as SweepData | undefined;
  if (!s || !Array.isArray(s.vars) || !Array.isArray(s.points) || s.vars.length === 0) return undefined;
  if (!s.points.every((p) => p && typeof p.values === 'object' && p.values !== null)) return undefined;
  return s;
}

/** One cell: a value, its 95 % interval when replications gave one, and a budget verdict. */
interface Cell {
  value: number;
  ci?: Interval;
  verdict?: BudgetResult['pass'];
}

/** Light backgrounds only (contrast with #1d1d1f ≥ 9:1). */
const VERDICT = { pass: '#d7efd7', unsure: '#fde9c4', fail: '#f7d2cd', none: '#ececec' };
const SCALE = ['#f7fbff', '#e3eef9', '#cfe1f2', '#b5d4e9', '#9ecae1'];

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? '–'
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 10
        ? x.toFixed(1)
        : x.toPrecision(3);

function panel(
  title: string,
  s: SweepData,
  cellOf: (r: RunResult | undefined) => Cell | undefined,
  note = '',
): string {
  const [vx, ...rest] = s.vars;
  const rowKey = (v: SweepData['points'][number]['values']) =>
    rest.map((k) => String(v[k])).join(' · ') || 'all';
  const xs = [...new Set(s.points.map((p) => String(p.values[vx])))];
  const ys = [...new Set(s.points.map((p) => rowKey(p.values)))];
  const cells = new Map<string, Cell>();
  for (const p of s.points) {
    const c = cellOf(p.result);
    if (c) cells.set(`${rowKey(p.values)}\u0000${String(p.values[vx])}`, c);
  }
  const all = [...cells.values()].filter((c) => Number.isFinite(c.value));
  if (all.length === 0) return '';
  const lo = Math.min(...all.map((c) => c.value));
  const hi = Math.max(...all.map((c) => c.value));
  const noise = Math.max(0, ...all.map((c) => (c.ci ? c.ci[1] - c.ci[0] : 0)));
  const span = Math.max(hi - lo, noise);
  const colour = (c: Cell) => {
    if (c.verdict !== undefined)
      return c.verdict === true ? VERDICT.pass : c.verdict === false ? VERDICT.fail : VERDICT.unsure;
    if (!Number.isFinite(c.value)) return VERDICT.none;
    const t = span > 0 ? (c.value - lo) / span : 0;
    return SCALE[Math.min(SCALE.length - 1, Math.floor(t * SCALE.length))];
  };
  const head = `<tr><th>${esc(rest.join(' · ') || '')} ＼ ${esc(vx)}</th>${xs.map((x) => `<th>${esc(x)}</th>`).join('')}</tr>`;
  const rows = ys.map((y) => {
    const tds = xs.map((x) => {
      const c = cells.get(`${y}\u0000${x}`);
      if (!c) return `<td style="background:${VERDICT.none}">–</td>`;
      const pm = c.ci ? ` ±${fmt((c.ci[1] - c.ci[0]) / 2)}` : '';
      const v =
        c.verdict === true ? 'pass' : c.verdict === false ? 'FAIL' : c.verdict === null ? 'unsure' : '';
      return `<td style="background:${colour(c)}" title="${esc(`${vx}=${x} ${y}`)}">${esc(fmt(c.value) + pm)}${v ? ` <small>${v}</small>` : ''}</td>`;
    });
    return `<tr><th>${esc(y)}</th>${tds.join('')}</tr>`;
  });
  const within =
    noise > 0 && hi - lo <= noise
      ? ' The whole spread lies within one 95 % interval: colours are compressed.'
      : '';
  return `<figure class="sweep"><figcaption>${esc(title)}</figcaption><table class="heat">${head}${rows.join('')}</table><p class="note">${esc(note + within)}</p></figure>`;
}

/** The sweep panels (budgets first), or '' when `sweep` is not a sweep. */
export function sweepSection(sweep: unknown): string {
  const s = asSweep(sweep);
  if (!s) return '';
  const results = s.points.map((p) => p.result).filter((r): r is RunResult => Boolean(r));
  // A sweep file is read defensively (it may come from an older version or by hand): a point's
  // result may lack budgets even though RunResult always has them.
  const budgets = [...new Set(results.flatMap((r) => (r.budgets ?? []).map((b) => b.expr)))];
  const journeys = [...new Set(results.flatMap((r) => Object.keys(r.journeys)))];
  const panels = [
    ...budgets.map((expr) =>
      panel(
        `Budget ${expr}`,
        s,
        (r) => {
          const b = r?.budgets?.find((x) => x.expr === expr);
          return b ? { value: b.value, ci: b.ci, verdict: b.pass } : undefined;
        },
        'Green: met; amber: unsure (the 95 % interval straddles the limit); red: missed.',
      ),
    ),
    ...journeys.map((j) =>
      panel(
        `${j} p99 (ms)`,
        s,
        (r) => {
          const x = r?.journeys?.[j];
          return x ? { value: x.latency?.p99, ci: x.ci?.p99 } : undefined;
        },
        'Lighter is lower. ± is half the 95 % interval over replications.',
      ),
    ),
    ...journeys.map((j) =>
      panel(`${j} errors (%)`, s, (r) => {
        const x = r?.journeys?.[j];
        return x ? { value: (x.errorRate ?? 0) * 100 } : undefined;
      }),
    ),
  ].filter(Boolean);
  return panels.length
    ? `<h2>Sweep</h2><p class="meta">${s.points.length} points over ${esc(s.vars.join(', '))}.</p><div class="grid">${panels.join('')}</div>`
    : '';
}

const CSS = `
:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#fafafa}
body{margin:0 auto;max-width:1360px;padding:16px 24px}h1{font-size:22px;margin:4px 0}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}.meta,.note{color:#555}
.grid{display:flex;flex-wrap:wrap;gap:16px}figure.sweep{margin:0;background:#fff;border:1px solid #e0e0e0;border-radius:4px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}table.heat{border-collapse:collapse}
table.heat th,table.heat td{border:1px solid #fff;padding:4px 8px;text-align:right;color:#1d1d1f;font-variant-numeric:tabular-nums}
table.heat th{background:#f0f0f0}small{color:#333}.note{font-size:12px;margin:4px 0 0;max-width:560px}
`;

/** A self-contained page for a sweep result (`backline report sweep.json`). */
export function renderSweepHtml(sweep: SweepResult): string {
  const name = sweep.scenario?.name ?? 'sweep';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(name)} · backline sweep</title><style>${CSS}</style></head>
<body><h1>${esc(name)} · sweep</h1>
<p class="meta">seed ${esc(sweep.seed)}${sweep.commonSeed ? ' (common random numbers)' : ''} · ${esc(sweep.replications)} replication(s) per point</p>
${sweepSection(sweep)}
</body></html>
`;
}
