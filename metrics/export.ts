/**
 * Metrics out of a running command: `--metrics [host:]port` (Prometheus scrape endpoint) and
 * `--otlp <url>` (OTLP/HTTP push). The exporter listens to the run handle's snapshots, as the
 * dashboard does, and never drives the run; at the end it takes the RunResult so the last values
 * equal what the reports say.
 */

import type { Registry } from 'prom-client';
import type { TwinServiceFigures } from '../loadtests/twin/meter.js';
import type { RunResult } from '../results/run-result.js';
import { type OtlpMetrics, startOtlpMetrics } from './otlp.js';
import { prometheusRegistry, type RunLabels } from './prometheus.js';
import { type MetricsServer, parseMetricsAddress, serveMetrics } from './server.js';
import { MetricsState, type SnapshotView } from './state.js';
import { otlpTwinMetrics, registerTwinMetrics, TwinView } from './twin.js';

/** What to export to. */
export interface ExportOptions {
  /** `--metrics`: `[host:]port`. */
  metrics?: string;
  /** `--otlp`: the collector's base URL (`/v1/metrics` is appended unless given). */
  otlp?: string;
  /** Seconds between OTLP pushes (default 5). */
  otlpIntervalSeconds?: number;
}

/** Anything that emits snapshots (SimRun, LoadRun). */
export interface SnapshotSource<S extends SnapshotView> {
  on(event: 'snapshot', listener: (s: S) => void): unknown;
  off(event: 'snapshot', listener: (s: S) => void): unknown;
}

/** A running exporter. */
export class MetricsExporter {
  readonly state: MetricsState;
  private detach: (() => void)[] = [];

  private constructor(
    private readonly registry: Registry,
    readonly server: MetricsServer | undefined,
    readonly otlp: OtlpMetrics | undefined,
    state: MetricsState,
    /** False when the user named a non-loopback address to listen on. */
    readonly loopback: boolean,
  ) {
    this.state = state;
  }

  /** Starts the endpoint and/or the OTLP pusher; undefined when neither was asked for. */
  static async start(opts: ExportOptions, run: RunLabels): Promise<MetricsExporter | undefined> {
    if (!opts.metrics && !opts.otlp) return undefined;
    const state = new MetricsState(run.kind === 'sim' ? 'simulated' : 'wall');
    const address = opts.metrics ? parseMetricsAddress(opts.metrics) : undefined;
    const registry = prometheusRegistry(state, run);
    const server = address ? await serveMetrics(registry, address, () => state.expire()) : undefined;
    const otlp = opts.otlp
      ? startOtlpMetrics(state, run, opts.otlp, opts.otlpIntervalSeconds ?? 5)
      : undefined;
    return new MetricsExporter(registry, server, otlp, state, address?.loopback ?? true);
  }

  /** Follows a run handle's snapshots until {@link MetricsExporter.finish}. */
  follow<S extends SnapshotView>(source: SnapshotSource<S>): void {
    const listener = (s: S) => this.state.update(s);
    source.on('snapshot', listener);
    this.detach.push(() => source.off('snapshot', listener));
  }

  /**
   * Exports a twin's per-service figures as well (`metrics/twin.ts`), read from `figures` when
   * scraped or pushed; until the run finishes they also set the service gauges, and `now` (twin
   * seconds) the run time.
   */
  followTwin(figures: () => Record<string, TwinServiceFigures> | undefined, now?: () => number): void {
    const view = new TwinView(() => {
      const f = figures();
      if (f && !this.state.finished) {
        this.state.twinServices(f);
        if (now) this.state.runSeconds = now();
      }
      return f;
    });
    this.state.refresh = () => view.read();
    this.state.expire = () => view.expire();
    registerTwinMetrics(this.registry, view);
    if (this.otlp) otlpTwinMetrics(this.otlp.meter, view);
  }

  /** Sets the final values from the result (counts, histograms, services, budgets). */
  finish(result: RunResult): void {
    for (const d of this.detach) d();
    this.detach = [];
    this.state.finish(result);
  }

  /**
   * Pushes the last OTLP values and closes. When something has been scraping the endpoint, waits up
   * to `lingerMs` for one more scrape so the final values reach it.
   */
  async close(lingerMs = 5000): Promise<void> {
    for (const d of this.detach) d();
    if (this.server && this.server.scrapes > 0 && this.state.finished) await this.server.nextScrape(lingerMs);
    await Promise.all([this.server?.close(), this.otlp?.close()]);
  }
}
