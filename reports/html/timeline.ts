/**
 * The report's "Over time" charts: per-interval series when the result has a timeline (latency,
 * throughput, errors, utilization, replicas, queues), window totals as bars when it has not, and the
 * exact step series of replica changes and circuit breaker states either way. Faults and the
 * warm-up are shaded on every time axis.
 */
import type { RunResult } from '../../results/run-result.js';
import { barChart, fmt, lineChart, type Marker, type Series } from '../charts.js';

function markersOf(r: RunResult): Marker[] {
  const out = (r.faults ?? []).map((f) => ({ from: f.at, to: f.at + f.for, label: f.label }));
  // The warm-up is outside the statistics; shading it explains the ramp at the start of a timeline.
  const t0 = r.timeline?.t?.[0];
  const start = r.window?.start ?? 0;
  if (t0 !== undefined && start > t0) out.unshift({ from: t0, to: start, label: 'warm-up' });
  return out;
}

/** The "Over time" section, with `p`'s series dashed beside `r`'s when given. */
export function timelineSection(r: RunResult, p?: RunResult): string {
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
