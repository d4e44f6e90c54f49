/**
 * What each service spent itself, from spans: a SERVER span's duration minus the time covered by its
 * own outgoing CLIENT spans (their union, so parallel calls count once), and the calls it made per
 * request (fan-out). Failed or cut-short spans are left out: a timeout or an error says nothing of
 * the service time.
 */
import type { Span } from './spans.js';

/** Self times and fan-out of one service. */
export interface ServiceSamples {
  /** Self times in seconds, one per successful SERVER span. */
  self: number[];
  /** SERVER spans whose self time came out ≤ 0 (clock skew, rounding): not usable, counted. */
  nonPositive: number;
  /** Per operation: requests seen and calls made per callee (client span name). */
  fanout: Map<string, { requests: number; calls: Map<string, number> }>;
}

/** Self times and fan-out per service (keyed by the span's local service name). */
export function selfTimes(spans: readonly Span[]): Map<string, ServiceSamples> {
  const children = new Map<string, number[]>();
  spans.forEach((s, i) => {
    if (s.kind !== 'client' || s.parentId === undefined) return;
    const list = children.get(s.parentId);
    if (list) list.push(i);
    else children.set(s.parentId, [i]);
  });
  const out = new Map<string, ServiceSamples>();
  const ivs: [number, number][] = [];
  for (const s of spans) {
    if (s.kind !== 'server' || s.failed) continue;
    let svc = out.get(s.service);
    if (!svc) {
      svc = { self: [], nonPositive: 0, fanout: new Map() };
      out.set(s.service, svc);
    }
    ivs.length = 0;
    const kids = children.get(s.id) ?? [];
    let op = svc.fanout.get(s.name);
    if (!op) {
      op = { requests: 0, calls: new Map() };
      svc.fanout.set(s.name, op);
    }
    op.requests++;
    const end = s.start + s.duration;
    for (const k of kids) {
      const c = spans[k];
      op.calls.set(c.name, (op.calls.get(c.name) ?? 0) + 1);
      const a = Math.max(s.start, c.start);
      const b = Math.min(end, c.start + c.duration);
      if (b > a) ivs.push([a, b]);
    }
    const self = s.duration - covered(ivs);
    if (self > 0) svc.self.push(self / 1e6);
    else svc.nonPositive++;
  }
  return out;
}

/** Length of the union of intervals (sorts `ivs` in place). */
export function covered(ivs: [number, number][]): number {
  if (ivs.length === 0) return 0;
  if (ivs.length > 1) ivs.sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [a, b] = ivs[0];
  for (let i = 1; i < ivs.length; i++) {
    const [c, d] = ivs[i];
    if (c > b) {
      total += b - a;
      a = c;
      b = d;
    } else if (d > b) b = d;
  }
  return total + (b - a);
}
