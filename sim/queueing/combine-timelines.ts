/**
 * Replications' timelines into the RunResult's: every series averaged interval by interval over the
 * replications, over the intervals all of them reached.
 */
import { round } from '../../results/histogram.js';
import type { Timeline } from '../../results/run-result.js';
import type { TimelineRecorder } from './timeline.js';

/** Replications' timelines averaged interval by interval (over the intervals all of them reached). */
export function combineTimelines(
  recorded: readonly (TimelineRecorder | undefined)[],
  names: { journeys: readonly { name: string }[]; services: readonly { name: string }[] },
): Timeline | undefined {
  const tls = recorded.filter((t): t is TimelineRecorder => t !== undefined);
  if (tls.length === 0) return undefined;
  const n = Math.min(...tls.map((t) => t.t.length));
  const mean = (pick: (t: TimelineRecorder) => number[]) =>
    Array.from({ length: n }, (_, i) => round(tls.reduce((a, t) => a + pick(t)[i], 0) / tls.length, 4));
  const journeys: Timeline['journeys'] = {};
  names.journeys.forEach((j, ji) => {
    journeys[j.name] = {
      throughput: mean((t) => t.journeys[ji].throughput),
      p50: mean((t) => t.journeys[ji].p50),
      p99: mean((t) => t.journeys[ji].p99),
      errors: mean((t) => t.journeys[ji].errors),
    };
  });
  const services: Timeline['services'] = {};
  names.services.forEach((s, si) => {
    services[s.name] = {
      utilization: mean((t) => t.services[si].utilization),
      queue: mean((t) => t.services[si].queue),
      replicas: mean((t) => t.services[si].replicas),
    };
  });
  const tl: Timeline = {
    interval: tls[0].interval,
    t: tls[0].t.slice(0, n).map((x) => round(x, 4)),
    journeys,
    services,
  };
  // Content series exist only with a CDN / streams, so other scenarios' output stays as it was.
  const edges = Object.keys(tls[0].cdn);
  if (edges.length > 0)
    tl.cdn = Object.fromEntries(
      edges.map((e) => [
        e,
        { requests: mean((t) => t.cdn[e].requests), hitRatio: mean((t) => t.cdn[e].hitRatio) },
      ]),
    );
  const streams = Object.keys(tls[0].streams);
  if (streams.length > 0)
    tl.streams = Object.fromEntries(streams.map((s) => [s, { lag: mean((t) => t.streams[s].lag) }]));
  return tl;
}
