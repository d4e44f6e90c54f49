/**
 * Latency CDFs per journey, decoded from the HDR histograms a result carries, with the predicted
 * result's curve dashed beside the measured one.
 */
import { extentOf } from '../../results/extent.js';
import { LatencyHistogram } from '../../results/histogram.js';
import type { JourneyResult, RunResult } from '../../results/run-result.js';
import { lineChart, type Series } from '../charts.js';

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

/** One CDF chart per journey, on a log axis when latencies span more than 20×. */
export function cdfSection(r: RunResult, p?: RunResult): string {
  const charts = Object.entries(r.journeys).map(([name, j], i) => {
    const measured = cdfPoints(j);
    const predicted = p ? cdfPoints(p.journeys?.[name]) : [];
    const xs = [...measured, ...predicted].map((pt) => pt[0]).filter((x) => x > 0);
    const [lo, hi] = extentOf(xs);
    const wide = xs.length > 0 && hi / lo > 20;
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
