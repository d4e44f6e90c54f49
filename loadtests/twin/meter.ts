/**
 * What each twin service answered, measured where it answers: at its replicas' HTTP servers, from a
 * request's arrival to its response ending (waiting for a worker, the service time and the route's
 * downstream calls). Counts are kept by status and cause (the `x-backline-cause` a failure carries),
 * latency of successful answers in an HDR histogram, and requests in flight. `figures()` adds the
 * replicas' worker state, in a plain shape that crosses the twin process's IPC channel and that
 * `metrics/` exports; this module itself exports nothing.
 */
import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../../results/histogram.js';
import { outcomeOf } from './http.js';
import type { TwinPlacement } from './placement.js';
import { type TraceSpan, type TwinTracing, traceRequest } from './trace-context.js';

/** One twin service's figures since the twin started. */
export interface TwinServiceFigures {
  /** Replicas serving now. */
  replicas: number;
  /** Workers of the serving replicas. */
  workers: number;
  /** Workers busy now. */
  busy: number;
  /** Requests in the waiting rooms now. */
  queue: number;
  /** Requests arrived at a replica and not yet answered. */
  inFlight: number;
  /** Busy worker-seconds, and worker-seconds of serving replicas (their ratio is the utilization). */
  busySeconds: number;
  capacitySeconds: number;
  /** Answered requests keyed `"<status> <cause>"`: `200 ok`, `503 rejected`, `499 closed`, … */
  answered: Record<string, number>;
  /** Latency of successful answers: compressed HDR (microseconds), exact sum in seconds, count. */
  latency: { hdr: string; sum: number; count: number };
}

interface Counts {
  inFlight: number;
  answered: Map<string, number>;
  latency: LatencyHistogram;
}

/** Per-service answer counts of a twin. */
export class TwinMeter {
  private readonly per: Counts[];

  constructor(private readonly names: readonly string[]) {
    this.per = names.map(() => ({ inFlight: 0, answered: new Map(), latency: new LatencyHistogram() }));
  }

  /** A request arrived at a replica of service `s`; it is counted when `res` closes. */
  begin(s: number, res: http.ServerResponse): void {
    const c = this.per[s];
    const t0 = performance.now();
    c.inFlight++;
    res.once('close', () => {
      c.inFlight--;
      const { status, cause } = outcomeOf(res);
      const key = `${status} ${cause}`;
      c.answered.set(key, (c.answered.get(key) ?? 0) + 1);
      if (status < 400) c.latency.record((performance.now() - t0) / 1000);
    });
  }

  /**
   * What a replica of service `s` calls as each request arrives: counts it, and opens its SERVER
   * span (named after the route) when the twin traces.
   */
  watch(
    s: number,
    tracing: TwinTracing | undefined,
  ): (route: string, req: http.IncomingMessage, res: http.ServerResponse) => TraceSpan | undefined {
    const name = this.names[s];
    return (route, req, res) => {
      this.begin(s, res);
      return tracing && traceRequest(tracing, name, route || name, req, res);
    };
  }

  /** Every service's figures now, keyed by name. */
  figures(placement: TwinPlacement): Record<string, TwinServiceFigures> {
    const out: Record<string, TwinServiceFigures> = {};
    this.names.forEach((name, s) => {
      const c = this.per[s];
      const reps = placement.of(s);
      const up = reps.filter((r) => r.routable());
      let busySeconds = 0;
      let capacitySeconds = 0;
      for (const r of reps) {
        const a = r.areas();
        busySeconds += a.busy;
        capacitySeconds += a.cap;
      }
      out[name] = {
        replicas: up.length,
        workers: up.reduce((a, r) => a + r.workers, 0),
        busy: reps.reduce((a, r) => a + r.busy, 0),
        queue: reps.reduce((a, r) => a + r.queued, 0),
        inFlight: c.inFlight,
        busySeconds,
        capacitySeconds,
        answered: Object.fromEntries(c.answered),
        latency: { hdr: c.latency.encode(), sum: c.latency.sum, count: c.latency.count },
      };
    });
    return out;
  }
}
