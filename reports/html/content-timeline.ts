/**
 * Content over time in the report's "Over time" grid: each CDN edge's hit ratio per interval and
 * each stream's consumer lag per interval (simulations with a CDN or streams; nothing otherwise).
 */
import type { RunResult } from '../../results/run-result.js';
import { lineChart, type Marker } from '../charts.js';

const points = (t: readonly number[], ys: readonly number[]) =>
  ys.slice(0, t.length).map((y, i) => [t[i], y] as [number, number]);

/** The CDN hit ratio and stream lag charts of `r.timeline`, on the time axis labelled `xLabel`. */
export function contentTimelineCharts(r: RunResult, xLabel: string, markers: Marker[]): string[] {
  const tl = r.timeline;
  if (!tl) return [];
  const charts: string[] = [];
  const edges = Object.entries(tl.cdn ?? {});
  if (edges.length > 0)
    charts.push(
      lineChart({
        title: 'CDN hit ratio over time',
        xLabel,
        yLabel: 'requests served from cache (%)',
        yMin: 0,
        yMax: 100,
        series: edges.map(([name, e], i) => ({
          name,
          points: points(
            tl.t,
            e.hitRatio.map((h) => h * 100),
          ),
          color: i,
        })),
        markers,
      }),
    );
  const streams = Object.entries(tl.streams ?? {});
  if (streams.length > 0)
    charts.push(
      lineChart({
        title: 'Stream consumer lag over time',
        xLabel,
        yLabel: 'peak lag per interval (messages)',
        yMin: 0,
        series: streams.map(([name, s], i) => ({ name, points: points(tl.t, s.lag), color: i })),
        markers,
      }),
    );
  return charts;
}
