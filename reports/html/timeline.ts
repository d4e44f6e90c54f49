/**
 * The report's "Over time" charts: per-interval series when the result has a timeline (latency,
 * throughput, failed share, utilization, queues), window totals as bars when it has not, one
 * replicas chart (exact step series of changes where the result has them) and circuit breaker
 * states. Faults and the warm-up are shaded on every time axis, their labels stacked so none overlaps.
 */
import type { RunResult, Timeline } from '../../results/run-result.js';
import { barChart, fmt, lineChart, type Marker, type Series } from '../charts.js';
import { contentTimelineCharts } from './content-timeline.js';

function markersOf(r: RunResult): Marker[] {
  // A fault is shaded as far as the run saw it: one that fired as a load ended would otherwise
  // stretch the time axis to its planned end (80 s for a 40 s run) and squeeze the data into half.
  const end = r.window?.end ?? Number.POSITIVE_INFINITY;
  const out = (r.faults ?? [])
    .filter((f) => f.at <= end)
    .map((f) => ({ from: f.at, to: Math.min(f.at + f.for, end), label: f.label }));
  // The warm-up is outside the statistics; shading it explains the ramp at the start of a timeline.
  const t0 = r.timeline?.t?.[0];
  const start = r.window?.start ?? 0;
  if (t0 !== undefined && start > t0) out.unshift({ from: t0, to: start, label: 'warm-up' });
  return out;
}

/** The time axis of a result: simulated seconds for a simulation, wall seconds for a load test. */
function timeAxis(r: RunResult): string {
  return r.kind === 'sim' ? 'simulated time (s)' : 'time since start (s)';
}

/**
 * Journey `name`'s failed share (%) per interval: `errors` is that share in both kinds of run. A load
 * result written before it was (no `failed` series) holds the count, over throughput × interval.
 */
export function failedShare(r: RunResult, name: string): number[] {
  const tl = r.timeline as Timeline;
  const s = tl.journeys[name];
  if (r.kind === 'sim' || s.failed !== undefined) return s.errors.map((e) => e * 100);
  return s.errors.map((e, k) => {
    const done = (s.throughput[k] ?? 0) * tl.interval;
    return done > 0 ? (100 * e) / done : Number.NaN;
  });
}

const zip = (t: number[], ys: number[] | undefined) =>
  (ys ?? []).map((y, k) => [t[k], y] as [number, number]).filter((pt) => pt[0] !== undefined);

/** Latency, throughput and errors over time of `r`'s journeys, titled with `suffix`. */
function journeyCharts(r: RunResult, suffix: string): string[] {
  const tl = r.timeline as Timeline;
  const names = Object.keys(tl.journeys ?? {});
  const markers = markersOf(r);
  const xLabel = timeAxis(r);
  return [
    lineChart({
      title: `Latency percentiles over time${suffix}`,
      xLabel,
      yLabel: 'ms',
      series: names.flatMap((name, i) => [
        { name: `${name} p99`, points: zip(tl.t, tl.journeys[name].p99), color: i },
        { name: `${name} p50`, points: zip(tl.t, tl.journeys[name].p50), color: i, dashed: true },
      ]),
      markers,
    }),
    lineChart({
      title: `Throughput over time${suffix}`,
      xLabel,
      yLabel: 'journeys per second',
      series: names.map((name, i) => ({ name, points: zip(tl.t, tl.journeys[name].throughput), color: i })),
      markers,
    }),
    lineChart({
      title: `Failed journeys over time${suffix}`,
      xLabel,
      yLabel: 'failed share of journeys (%)',
      yMin: 0,
      series: names.map((name, i) => ({ name, points: zip(tl.t, failedShare(r, name)), color: i })),
      markers,
    }),
  ];
}

/** Replicas per service: the exact changes where the result has them, else the timeline's means. */
function replicaChart(r: RunResult): string {
  const end = r.window?.end;
  const tl = r.timeline;
  const series: Series[] = [];
  const names = new Set([...Object.keys(r.services ?? {}), ...Object.keys(tl?.services ?? {})]);
  [...names].forEach((name, i) => {
    const exact = r.services?.[name]?.replicasOverTime;
    if (exact && exact.length > 0) {
      const pts = exact.map(([t, n]) => [t, n] as [number, number]);
      const last = pts[pts.length - 1];
      if (end !== undefined && end > last[0]) pts.push([end, last[1]]);
      series.push({ name, points: pts, step: true, color: i });
    } else if (tl?.services?.[name]) {
      series.push({ name, points: zip(tl.t, tl.services[name].replicas), step: true, color: i });
    }
  });
  return lineChart({
    title: 'Replicas per service',
    xLabel: timeAxis(r),
    yLabel: 'replicas',
    yMin: 0,
    series,
    markers: markersOf(r),
  });
}

/**
 * The "Over time" section. A predicted result gets charts of its own, on its own time axis: a
 * simulation's seconds are not a load test's, and one axis for both would misplace every fault.
 */
export function timelineSection(r: RunResult, p?: RunResult): string {
  const tl = r.timeline;
  const markers = markersOf(r);
  const charts: string[] = [];
  if (tl && Array.isArray(tl.t) && tl.t.length > 0) {
    charts.push(...journeyCharts(r, p ? ' · measured' : ''));
    if (p?.timeline && p.timeline.t.length > 0) charts.push(...journeyCharts(p, ' · predicted'));
    const svcNames = Object.keys(tl.services ?? {});
    if (svcNames.length > 0) {
      charts.push(
        lineChart({
          title: 'Utilization per service',
          xLabel: timeAxis(r),
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
          title: 'Queue per service',
          xLabel: timeAxis(r),
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
  charts.push(...contentTimelineCharts(r, timeAxis(r), markers));
  // One replicas chart: exact step series of changes (autoscaling, crashes), timeline means otherwise.
  const varies = Object.values(r.services ?? {}).some((s) => (s.replicasOverTime?.length ?? 0) > 0);
  if (varies || Object.keys(tl?.services ?? {}).length > 0) charts.push(replicaChart(r));
  const breakers = Object.entries(r.services ?? {}).filter(([, s]) => (s.breaker?.length ?? 0) > 0);
  if (breakers.length > 0) {
    const level = { closed: 0, 'half-open': 0.5, open: 1 } as const;
    const end = r.window?.end;
    charts.push(
      lineChart({
        title: 'Circuit breaker state (0 closed · 0.5 half-open · 1 open)',
        xLabel: timeAxis(r),
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
