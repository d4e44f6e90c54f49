/**
 * The twin's per-service figures (`loadtests/twin/meter.ts`) as Prometheus and OTLP metrics, for
 * `serve --metrics` (the twin in this process) and `load --twin --metrics` (the twin's process, as of
 * its last snapshot, at most 250 ms old). Counters only grow while the twin runs, so `rate()` over
 * them gives the last minutes: `backline_service_worker_busy_seconds_total` over
 * `backline_service_worker_capacity_seconds_total` is the utilization of a window, where the
 * `backline_service_utilization_ratio` gauge is since start.
 */
import type { Meter } from '@opentelemetry/api';
import { Counter, type Registry } from 'prom-client';
import type { TwinServiceFigures } from '../loadtests/twin/meter.js';
import { LatencyHistogram } from '../results/histogram.js';
import { type BucketCounts, bucketCounts, emptyBuckets, LATENCY_BUCKETS } from './buckets.js';
import { bucketHistogram, perLabel } from './prometheus.js';

/** One service's figures with its latency read into Prometheus buckets. */
export interface TwinServiceView extends TwinServiceFigures {
  buckets: BucketCounts;
}

/**
 * Reads the twin's figures once for all the metrics that show them, so one scrape is one consistent
 * reading: again after {@link TwinView.expire} (each scrape) or when older than `maxAgeMs` (OTLP
 * pushes).
 */
export class TwinView {
  private cached: Map<string, TwinServiceView> = new Map();
  private at = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly source: () => Record<string, TwinServiceFigures> | undefined,
    private readonly maxAgeMs = 1000,
  ) {}

  /** The next read takes new figures. */
  expire(): void {
    this.at = Number.NEGATIVE_INFINITY;
  }

  /** The services' figures now (or as of at most `maxAgeMs` ago). */
  read(): Map<string, TwinServiceView> {
    const now = performance.now();
    if (now - this.at < this.maxAgeMs) return this.cached;
    this.at = now;
    const figures = this.source();
    if (!figures) return this.cached;
    const out = new Map<string, TwinServiceView>();
    for (const [name, f] of Object.entries(figures)) {
      const h = f.latency.count > 0 ? LatencyHistogram.decode(f.latency.hdr, f.latency.sum) : undefined;
      const buckets = h ? bucketCounts(h) : emptyBuckets();
      out.set(name, { ...f, buckets });
    }
    this.cached = out;
    return out;
  }
}

/** `"503 rejected"` → status and cause. */
function splitKey(key: string): { status: string; cause: string } {
  const i = key.indexOf(' ');
  return { status: key.slice(0, i), cause: key.slice(i + 1) };
}

/** Registers the per-service twin metrics on `registry`. */
export function registerTwinMetrics(registry: Registry, view: TwinView): void {
  const registers = [registry];
  new Counter({
    name: 'backline_service_requests_total',
    help: 'Requests a twin service answered, by HTTP status and cause (ok, rejected, deadline, error, closed, ...).',
    labelNames: ['service', 'status', 'cause'],
    registers,
    collect() {
      this.reset();
      for (const [service, s] of view.read())
        for (const [key, n] of Object.entries(s.answered)) this.inc({ service, ...splitKey(key) }, n);
    },
  });
  registry.registerMetric(
    bucketHistogram(
      'backline_service_request_duration_seconds',
      'Latency of successful answers of a twin service, from arrival at a replica to the answer (waiting, work and downstream calls).',
      function* () {
        for (const [service, s] of view.read()) yield [{ service }, s.buckets];
      },
    ),
  );
  const perService = (
    type: 'gauge' | 'counter',
    name: string,
    help: string,
    pick: (s: TwinServiceView) => number,
  ) =>
    perLabel(registry, type, name, help, 'service', function* () {
      for (const [service, s] of view.read()) yield [service, pick(s)];
    });
  perService(
    'gauge',
    'backline_service_requests_in_flight',
    'Requests arrived at a twin service and not yet answered.',
    (s) => s.inFlight,
  );
  perService('gauge', 'backline_service_busy_workers', 'Workers of a twin service busy now.', (s) => s.busy);
  perService(
    'gauge',
    'backline_service_workers',
    'Workers of the serving replicas of a twin service.',
    (s) => s.workers,
  );
  perService(
    'counter',
    'backline_service_worker_busy_seconds_total',
    'Busy worker-seconds of a twin service.',
    (s) => s.busySeconds,
  );
  perService(
    'counter',
    'backline_service_worker_capacity_seconds_total',
    'Worker-seconds of serving replicas of a twin service (busy / capacity = utilization).',
    (s) => s.capacitySeconds,
  );
}

/** The same figures as OTLP instruments on `meter`. */
export function otlpTwinMetrics(meter: Meter, view: TwinView): void {
  meter
    .createObservableCounter('backline.service.requests', {
      description: 'Requests a twin service answered.',
    })
    .addCallback((r) => {
      for (const [service, s] of view.read())
        for (const [key, n] of Object.entries(s.answered)) r.observe(n, { service, ...splitKey(key) });
    });
  meter
    .createObservableGauge('backline.service.requests.in_flight', {
      description: 'Requests not yet answered.',
    })
    .addCallback((r) => {
      for (const [service, s] of view.read()) r.observe(s.inFlight, { service });
    });
  meter
    .createObservableCounter('backline.service.request.duration.bucket', {
      description: 'Successful answers with latency at or below `le` seconds (cumulative buckets).',
    })
    .addCallback((r) => {
      for (const [service, s] of view.read())
        s.buckets.cumulative.forEach((n, i) => {
          r.observe(n, { service, le: i < LATENCY_BUCKETS.length ? String(LATENCY_BUCKETS[i]) : '+Inf' });
        });
    });
}
