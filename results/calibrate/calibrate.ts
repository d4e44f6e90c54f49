/**
 * Calibration from what was measured: per service of a scenario, a service-time distribution fitted
 * to the self times in measured traces (see `self-times.ts`, `fit.ts`), with its goodness of fit and
 * the measured fan-out, as `--set` assignments a scenario takes (`services.<name>.time=…`).
 */
import { ScenarioError } from '../errors.js';
import { specText } from './dist-text.js';
import { type Fit, fitServiceTime, fitSpec } from './fit.js';
import type { TraceSamples } from './read-traces.js';
import type { TraceFormat } from './spans.js';

/** Fewer self times than this are not fitted (the service is reported as skipped). */
export const MIN_SAMPLES = 30;

/** One service's calibration. */
export interface ServiceCalibration {
  service: string;
  fit: Fit;
  /** The scenario value, e.g. `lognormal(median: 2.013ms, p99: 12.07ms)`. */
  time: string;
  /** Spans whose self time was ≤ 0 (not used). */
  nonPositive: number;
  /** Calls per request, per operation and callee. */
  fanout: { operation: string; requests: number; calls: Record<string, number> }[];
}

/** What calibration found. */
export interface Calibration {
  format: TraceFormat;
  spans: number;
  services: ServiceCalibration[];
  /** Services of the scenario with no or too few spans, and services in the traces the scenario lacks. */
  skipped: { service: string; reason: string }[];
}

/**
 * Calibrates `services` (the scenario's service names) from the samples of traces read from `file`.
 * Throws a located input error when there is nothing to fit.
 */
export function calibrate(samples: TraceSamples, file: string, services: readonly string[]): Calibration {
  const per = samples.perService;
  const known = new Set(services);
  const out: Calibration = { format: samples.format, spans: samples.spans, services: [], skipped: [] };
  for (const name of services) {
    const s = per.get(name);
    const n = s?.self.length ?? 0;
    if (!s || n < MIN_SAMPLES) {
      out.skipped.push({
        service: name,
        reason: `${n} usable server spans (at least ${MIN_SAMPLES} needed)`,
      });
      continue;
    }
    const fit = fitServiceTime(s.self);
    out.services.push({
      service: name,
      fit,
      time: distText(fit),
      nonPositive: s.nonPositive,
      fanout: [...s.fanout].map(([operation, f]) => ({
        operation,
        requests: f.requests,
        calls: Object.fromEntries([...f.calls].map(([callee, c]) => [callee, round(c / f.requests, 3)])),
      })),
    });
  }
  for (const name of per.keys()) {
    if (!known.has(name))
      out.skipped.push({ service: name, reason: 'in the traces, not a service of the scenario' });
  }
  if (out.services.length === 0) {
    throw new ScenarioError([
      {
        file,
        line: 0,
        col: 0,
        message: `no service of the scenario has ${MIN_SAMPLES} or more usable server spans (${samples.spans} spans read)`,
      },
    ]);
  }
  return out;
}

/** The scenario text of a fit: `lognormal(median: …, p99: …)` or `empirical([…])`, in ms. */
export function distText(fit: Fit): string {
  return specText(fitSpec(fit));
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
