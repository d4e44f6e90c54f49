/**
 * The latency of failed journeys, kept apart from the successful ones' percentiles (as k6 splits
 * `http_req_duration` by `expected_response`): a request refused in 1 ms must not make a p99 look
 * good, nor one that timed out after 10 s make it look bad, yet how long failures took (fail fast,
 * or after the whole timeout?) is worth seeing on its own.
 */
import { LatencyHistogram, round } from './histogram.js';
import type { FailedLatency } from './run-result.js';

/** `{ failed }` for a journey's RunResult from a histogram of failure latencies; `{}` when empty. */
export function failedField(h: LatencyHistogram): { failed?: FailedLatency } {
  if (h.count === 0) return {};
  return { failed: { count: h.count, latency: h.summary(), hdr: h.encode(), sumSeconds: round(h.sum, 9) } };
}

/** Adds a RunResult's failed block into `into`, with its exact sum and max. */
export function mergeFailed(into: LatencyHistogram, f: FailedLatency | undefined): void {
  if (!f || !(f.count > 0) || !f.hdr) return;
  const h = LatencyHistogram.decode(f.hdr, f.sumSeconds);
  h.maxSeconds = f.latency.max / 1000;
  into.merge(h);
}
