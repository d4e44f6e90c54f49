/**
 * The exported figures pushed with OpenTelemetry's OTLP/HTTP exporter (JSON over HTTP): the same
 * counters and gauges as the Prometheus endpoint, as observable instruments read from
 * {@link MetricsState} at each export. Latency travels as cumulative bucket counts
 * (`backline.request.duration.bucket` with an `le` attribute, plus `.count` and `.sum`): OTel's
 * histogram instrument only takes single recordings, and a run's histogram is already aggregated.
 */
import type { Meter } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { LATENCY_BUCKETS } from './buckets.js';
import type { RunLabels } from './prometheus.js';
import type { MetricsState } from './state.js';

/** A running OTLP metrics pusher. */
export interface OtlpMetrics {
  /** The meter the instruments are on (more can be added). */
  meter: Meter;
  /** Pushes the current values now. */
  flush(): Promise<void>;
  /** Pushes the last values and stops. */
  close(): Promise<void>;
}

/** `…/v1/metrics` for a collector base URL, or the URL as given when it names the path already. */
export function otlpMetricsUrl(base: string): string {
  const u = new URL(base);
  if (!u.pathname.endsWith('/v1/metrics')) u.pathname = `${u.pathname.replace(/\/$/, '')}/v1/metrics`;
  return u.href;
}

/** Starts pushing `state` to `url` every `intervalSeconds`. */
export function startOtlpMetrics(
  state: MetricsState,
  run: RunLabels,
  url: string,
  intervalSeconds: number,
): OtlpMetrics {
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter({ url: otlpMetricsUrl(url) }),
    exportIntervalMillis: Math.max(100, intervalSeconds * 1000),
    exportTimeoutMillis: Math.max(100, Math.min(intervalSeconds * 1000, 10_000)),
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      'service.name': 'backline',
      'backline.scenario': run.scenario,
      'backline.kind': run.kind,
      'backline.clock': state.clock,
    }),
    readers: [reader],
  });
  const meter = provider.getMeter('backline');

  meter
    .createObservableCounter('backline.requests', {
      description: 'Finished journeys in the measurement window.',
    })
    .addCallback((r) => {
      for (const [journey, j] of state.journeys) r.observe(j.requests, { journey });
    });
  meter
    .createObservableCounter('backline.request.errors', { description: 'Failed journeys by cause.' })
    .addCallback((r) => {
      for (const [journey, j] of state.journeys)
        for (const [cause, n] of Object.entries(j.errors)) r.observe(n, { journey, cause });
    });
  meter
    .createObservableCounter('backline.request.duration.bucket', {
      description: 'Successful journeys with latency at or below `le` seconds (cumulative buckets).',
    })
    .addCallback((r) => {
      for (const [journey, j] of state.journeys)
        j.latency.cumulative.forEach((n, i) => {
          r.observe(n, { journey, le: i < LATENCY_BUCKETS.length ? String(LATENCY_BUCKETS[i]) : '+Inf' });
        });
    });
  meter
    .createObservableCounter('backline.request.duration.sum', { unit: 's', description: 'Sum of latencies.' })
    .addCallback((r) => {
      for (const [journey, j] of state.journeys) r.observe(j.latency.sum, { journey });
    });
  const gauge = (name: string, description: string, read: () => number, unit?: string) =>
    meter.createObservableGauge(name, { description, unit }).addCallback((r) => r.observe(read()));
  gauge('backline.requests.in_flight', 'Requests sent and not yet answered.', () => state.inFlight);
  gauge('backline.offered_rate', 'Offered requests per second.', () => state.offeredRate, '{request}/s');
  gauge('backline.achieved_rate', 'Completed requests per second.', () => state.achievedRate, '{request}/s');
  gauge('backline.run.time', 'Run time reached (see backline.clock).', () => state.runSeconds, 's');
  meter
    .createObservableGauge('backline.service.utilization', {
      unit: '1',
      description: 'Busy share of workers.',
    })
    .addCallback((r) => {
      state.refresh();
      for (const [service, s] of state.services) r.observe(s.utilization, { service });
    });
  meter
    .createObservableGauge('backline.service.queue', { description: 'Mean requests waiting.' })
    .addCallback((r) => {
      for (const [service, s] of state.services) r.observe(s.queue, { service });
    });
  meter
    .createObservableGauge('backline.budget.state', { description: '1 on the state that holds.' })
    .addCallback((r) => {
      for (const b of state.budgets) {
        const holds = b.pass === null ? 'unsure' : b.pass ? 'pass' : 'fail';
        for (const s of ['pass', 'fail', 'unsure'])
          r.observe(holds === s ? 1 : 0, { budget: b.expr, state: s });
      }
    });

  return {
    meter,
    flush: () => reader.forceFlush(),
    close: async () => {
      await reader.forceFlush();
      await provider.shutdown();
    },
  };
}
