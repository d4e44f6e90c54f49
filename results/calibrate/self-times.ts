/**
 * What each service spent itself, from spans: a SERVER span's duration minus the time covered by its
 * own outgoing CLIENT spans (their union, so parallel calls count once), and the calls it made per
 * request (fan-out). Failed or cut-short spans are left out: a timeout or an error says nothing of
 * the service time.
 */
import type { SpanTable } from './span-table.js';

/** Self times and fan-out of one service. */
export interface ServiceSamples {
  /** Self times in seconds, one per successful SERVER span. */
  self: number[];
  /** SERVER spans whose self time came out ≤ 0 (clock skew, rounding): not usable, counted. */
  nonPositive: number;
  /** Per operation: requests seen and calls made per callee (client span name). */
  fanout: Map<string, { requests: number; calls: Map<string, number> }>;
}

/**
 * Adds the self times and fan-out of the SERVER spans in `t` to `out` (keyed by the span's local
 * service name); a span's children must be in the same table.
 */
export function addSelfTimes(t: SpanTable, out: Map<string, ServiceSamples>): void {
  const servers = t.sStart.length;
  // Children of each server span as one index array (counting sort by parent), not a list each.
  const parentOf = t.parents();
  const first = new Int32Array(servers + 1);
  for (let k = 0; k < parentOf.length; k++) if (parentOf[k] >= 0) first[parentOf[k] + 1]++;
  for (let i = 0; i < servers; i++) first[i + 1] += first[i];
  const kids = new Int32Array(first[servers]);
  const fill = first.slice(0, servers);
  for (let k = 0; k < parentOf.length; k++) if (parentOf[k] >= 0) kids[fill[parentOf[k]]++] = k;
  const ivs: [number, number][] = [];
  for (let i = 0; i < servers; i++) {
    const service = t.names[t.sService.a[i]];
    let svc = out.get(service);
    if (!svc) {
      svc = { self: [], nonPositive: 0, fanout: new Map() };
      out.set(service, svc);
    }
    const name = t.names[t.sName.a[i]];
    let op = svc.fanout.get(name);
    if (!op) {
      op = { requests: 0, calls: new Map() };
      svc.fanout.set(name, op);
    }
    op.requests++;
    ivs.length = 0;
    const start = t.sStart.a[i];
    const end = start + t.sDur.a[i];
    for (let j = first[i]; j < first[i + 1]; j++) {
      const k = kids[j];
      const callee = t.names[t.cName.a[k]];
      op.calls.set(callee, (op.calls.get(callee) ?? 0) + 1);
      const a = Math.max(start, t.cStart.a[k]);
      const b = Math.min(end, t.cStart.a[k] + t.cDur.a[k]);
      if (b > a) ivs.push([a, b]);
    }
    const self = t.sDur.a[i] - covered(ivs);
    if (self > 0) svc.self.push(self / 1e6);
    else svc.nonPositive++;
  }
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
