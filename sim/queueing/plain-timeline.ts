/**
 * The timeline of a plain queueing network (the foundation's stations), read off its cumulative
 * statistics by a tick every interval so the lean path records nothing extra per request. Journey
 * series start at warm-up, because the foundation's journeys count only what started after it.
 */
import * as hdr from 'hdr-histogram-js';
import type { Kernel } from '../kernel/kernel.js';
import type { JourneyStats } from './journeys.js';
import type { Service } from './service.js';
import { TimelineRecorder } from './timeline.js';

function empty(): hdr.Histogram {
  return hdr.build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
}

/** A timeline sampled from outside the kernel: the runner calls `tick()` when the clock reaches `next`. */
export interface Ticker {
  recorder: TimelineRecorder;
  /** Simulated time of the next sample (Infinity when done). */
  next: number;
  tick(): void;
}

/**
 * The ticker of a plain network. At `warmup` it calls `resetStations` from its own kernel handler
 * (after reading what accrued before the reset). Samples are not kernel events: even a few dozen
 * extra events of another handler measurably slowed the lean path's M/M/c benchmark (the kernel's
 * dispatch site sees more targets), so the runner takes them between `kernel.run` slices, which
 * fires the same events in the same order.
 */
export function plainTimeline(
  kernel: Kernel,
  stats: JourneyStats[],
  services: Service[],
  interval: number,
  duration: number,
  warmup: number,
  resetStations: () => void,
): Ticker {
  const rec = new TimelineRecorder(interval, stats.length, services.length);
  const prevHist = stats.map(() => empty());
  const spare = stats.map(() => empty());
  const diff = stats.map(() => empty());
  const prevCount = stats.map(() => 0);
  const prevErrors = stats.map(() => 0);
  let mark = services.map(() => ({ busy: 0, queue: 0 }));
  let since = 0; // when the stations' averages last restarted (0, then warm-up)
  let last = 0;
  const errorsOf = (s: JourneyStats) => Object.values(s.errors).reduce((a, b) => a + b, 0);
  const onWarmup = () => {
    const now = kernel.now;
    mark = services.map((svc, i) => {
      let busy = 0;
      let queue = 0;
      for (const st of svc.replicas) {
        busy += st.busy.mean(now) * (now - since);
        queue += st.waiting.mean(now) * (now - since);
      }
      return { busy: mark[i].busy - busy, queue: mark[i].queue - queue };
    });
    since = now;
    resetStations();
  };
  const ticker: Ticker = { recorder: rec, next: interval, tick: () => {} };
  ticker.tick = () => {
    const now = kernel.now;
    const span = now - last;
    const series = rec.journeys;
    rec.t.push(last);
    stats.forEach((s, j) => {
      // Three histograms per journey, reused: the cumulative one now, the one at the last tick,
      // and their difference (the interval's latencies).
      const cur = spare[j];
      cur.reset();
      cur.add(s.latency.hdr);
      const d = diff[j];
      d.reset();
      d.add(cur);
      d.subtract(prevHist[j]);
      const diffCount = d.totalCount;
      const done = s.count - prevCount[j];
      const failed = errorsOf(s) - prevErrors[j];
      series[j].throughput.push(span > 0 ? done / span : 0);
      series[j].p50.push(diffCount > 0 ? d.getValueAtPercentile(50) / 1000 : 0);
      series[j].p99.push(diffCount > 0 ? d.getValueAtPercentile(99) / 1000 : 0);
      series[j].errors.push(done > 0 ? failed / done : 0);
      spare[j] = prevHist[j];
      prevHist[j] = cur;
      prevCount[j] = s.count;
      prevErrors[j] = errorsOf(s);
    });
    services.forEach((svc, i) => {
      let busy = 0;
      let queue = 0;
      let workers = 0;
      for (const st of svc.replicas) {
        busy += st.busy.mean(now) * (now - since);
        queue += st.waiting.mean(now) * (now - since);
        workers += st.workers;
      }
      const m = mark[i];
      rec.services[i].utilization.push(span > 0 && workers > 0 ? (busy - m.busy) / (span * workers) : 0);
      rec.services[i].queue.push(span > 0 ? (queue - m.queue) / span : 0);
      rec.services[i].replicas.push(svc.replicas.length);
      mark[i] = { busy, queue };
    });
    last = now;
    ticker.next = now + interval <= duration + 1e-9 ? now + interval : Number.POSITIVE_INFINITY;
  };
  if (warmup > 0) kernel.at(warmup, kernel.on(onWarmup));
  return ticker;
}
