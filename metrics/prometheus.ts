/**
 * The run's figures in Prometheus text format through prom-client. Each scrape reads
 * {@link MetricsState} (collect callbacks), so values are as of the last snapshot.
 *
 * Latency is a classic histogram (`backline_request_duration_seconds_bucket`) read out of the run's
 * own HDR histograms: Prometheus 2/3 scrape it everywhere without feature flags, `rate()` over it
 * gives the latency of the last minutes (a summary's quantiles could not be aggregated or windowed),
 * and native histograms would need protobuf scraping, which prom-client does not speak.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import { type BucketCounts, LATENCY_BUCKETS } from './buckets.js';
import type { MetricsState } from './state.js';

/** Labels on every series: which run, and whose clock its time figures count. */
export interface RunLabels {
  kind: 'sim' | 'load' | 'twin';
  scenario: string;
}

/**
 * A classic histogram as a prom-client metric over already aggregated bucket counts, one series per
 * label set `series()` yields: prom-client's own Histogram only takes `observe()`.
 */
export function bucketHistogram(
  name: string,
  help: string,
  series: () => Iterable<[Record<string, string>, BucketCounts]>,
) {
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
      for (const [labels, b] of series()) {
        b.cumulative.forEach((value, i) => {
          const le = i < LATENCY_BUCKETS.length ? LATENCY_BUCKETS[i] : '+Inf';
          values.push({ labels: { ...labels, le }, value, metricName: `${name}_bucket` });
        });
        values.push({ labels, value: b.sum, metricName: `${name}_sum` });
        values.push({ labels, value: b.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', values, aggregator: 'sum' };
    },
    reset() {},
  } as never;
}

/**
 * A gauge or counter with one label on `registry`, set afresh at each scrape from `rows` (label
 * value, value): the figures it shows are totals kept elsewhere.
 */
export function perLabel(
  registry: Registry,
  type: 'gauge' | 'counter',
  name: string,
  help: string,
  label: string,
  rows: () => Iterable<[string, number]>,
): void {
  const Metric = (type === 'gauge' ? Gauge : Counter) as typeof Gauge;
  new Metric({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, n] of rows()) this.inc({ [label]: value }, n);
    },
  });
}

/** A prom-client registry exposing `state`. */
export function prometheusRegistry(state: MetricsState, run: RunLabels): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ scenario: run.scenario, kind: run.kind, clock: state.clock });
  const registers = [registry];

  new Counter({
    name: 'backline_requests_total',
    help: 'Finished journeys (successful and failed) in the measurement window.',
    labelNames: ['journey'],
    registers,
    collect() {
      this.reset();
      for (const [journey, j] of state.journeys) this.inc({ journey }, j.requests);
    },
  });
  new Counter({
    name: 'backline_request_errors_total',
    help: 'Failed journeys by cause: status_<code>, timeout, refused, reset, rejected, breaker_open, ...',
    labelNames: ['journey', 'cause'],
    registers,
    collect() {
      this.reset();
      for (const [journey, j] of state.journeys)
        for (const [cause, n] of Object.entries(j.errors)) if (n > 0) this.inc({ journey, cause }, n);
    },
  });
  registry.registerMetric(
    bucketHistogram(
      'backline_request_duration_seconds',
      'Latency of successful journeys (coordinated omission corrected for load runs), from the run histograms.',
      function* () {
        for (const [journey, j] of state.journeys) yield [{ journey }, j.latency];
      },
    ),
  );

  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        state.refresh();
        this.set(read());
      },
    });
  if (run.kind === 'load') {
    new Counter({
      name: 'backline_requests_sent_total',
      help: 'Requests sent, warm-up included.',
      registers,
      collect() {
        this.reset();
        this.inc(state.sent);
      },
    });
    gauge('backline_requests_in_flight', 'Requests sent and not yet answered.', () => state.inFlight);
    gauge(
      'backline_offered_requests_per_second',
      'Rate the open-model schedule offers now.',
      () => state.offeredRate,
    );
    gauge(
      'backline_achieved_requests_per_second',
      'Completed requests per second over the last second or more.',
      () => state.achievedRate,
    );
  }
  gauge(
    'backline_run_time_seconds',
    'Run time reached: wall seconds since start for load, simulated seconds for sim (see the clock label).',
    () => state.runSeconds,
  );
  gauge('backline_run_finished', '1 once the run has ended and the figures equal its RunResult.', () =>
    state.finished ? 1 : 0,
  );

  const perService = (
    name: string,
    help: string,
    pick: (s: { utilization: number; queue: number; replicas: number }) => number,
  ) =>
    perLabel(registry, 'gauge', name, help, 'service', function* () {
      state.refresh();
      for (const [service, s] of state.services) yield [service, pick(s)];
    });
  perService(
    'backline_service_utilization_ratio',
    'Busy share of the service workers (0..1).',
    (s) => s.utilization,
  );
  perService('backline_service_queue_length', 'Mean requests waiting at the service.', (s) => s.queue);
  perService('backline_service_replicas', 'Replicas serving.', (s) => s.replicas);

  new Gauge({
    name: 'backline_budget_state',
    help: 'Budget verdict once the run ends: 1 on the series whose state label holds (pass, fail or unsure).',
    labelNames: ['budget', 'state'],
    registers,
    collect() {
      this.reset();
      for (const b of state.budgets)
        for (const s of ['pass', 'fail', 'unsure'] as const)
          this.set(
            { budget: b.expr, state: s },
            (b.pass === null ? 'unsure' : b.pass ? 'pass' : 'fail') === s ? 1 : 0,
          );
    },
  });
  new Gauge({
    name: 'backline_budget_value',
    help: 'Measured value of a budget in its limit unit (ms for latencies, 0..1 for shares).',
    labelNames: ['budget'],
    registers,
    collect() {
      this.reset();
      for (const b of state.budgets) this.set({ budget: b.expr }, b.value);
    },
  });
  // A simulation has no generator: a late ratio of 0 there would be a figure nothing measured.
  if (run.kind === 'load') {
    new Gauge({
      name: 'backline_generator_lag_seconds',
      help: 'Load generator scheduler lag, intended start to hand-over (stat: p50, p99, max; set when the run ends).',
      labelNames: ['stat'],
      registers,
      collect() {
        this.reset();
        const lag = state.generator?.lag;
        if (lag) for (const stat of ['p50', 'p99', 'max'] as const) this.set({ stat }, lag[stat] / 1000);
      },
    });
    new Gauge({
      name: 'backline_generator_late_ratio',
      help: 'Share of requests the generator handed over more than 10 ms late (set when the run ends).',
      registers,
      collect() {
        this.reset();
        if (state.generator) this.set(state.generator.lateShare);
      },
    });
  }
  return registry;
}
