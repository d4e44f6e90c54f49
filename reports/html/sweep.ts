/**
 * Sweeps as heatmaps: the first two varied keys become the axes, and each metric (given, or p99 and
 * error rate per journey) gets one heatmap. The sweep is read defensively, as it arrives untyped.
 */
import type { RunResult } from '../../results/run-result.js';
import type { SweepResult } from '../../results/sweep.js';
import { heatmap } from '../charts.js';

/** A sweep as the HTML report draws it: one point per grid cell, each with its varied values. */
export interface SweepData {
  /** The varied keys, e.g. `services.gateway.replicas`. The first two become the heatmap axes. */
  vars: string[];
  points: { values: Record<string, string | number>; result?: RunResult; metrics?: Record<string, number> }[];
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

/** One heatmap per metric, or nothing when `sweep` is not a sweep. */
export function sweepSection(sweep: unknown): string {
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

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
