/**
 * The k6 side of a load plan: the scenario executor for the profile (`constant-arrival-rate` for one
 * constant rate, `ramping-arrival-rate` otherwise, `ramping-vus` for a closed model) and thresholds
 * from the budgets. Pure data: `lit` writes it into the script.
 */
import type { DistSpec } from '../../scenarios/distribution.js';
import { phaseLength } from '../plan.js';
import type { LoadBudget, ProfilePhase } from '../shape.js';

/** `90s` → `'90s'` as k6 durations; fractions go to milliseconds. */
export function k6Duration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

/** k6 threshold aggregation for a budget metric, or undefined when k6 cannot express it. */
function aggregation(metric: string): string | undefined {
  const m = /^p(\d+)$/.exec(metric);
  if (m) {
    const digits = m[1];
    if (digits === '50') return 'med';
    // p999 → p(99.9), p9999 → p(99.99)
    const pct = digits.length > 2 ? `${digits.slice(0, 2)}.${digits.slice(2)}` : digits;
    return `p(${pct})`;
  }
  if (metric === 'mean') return 'avg';
  if (metric === 'max' || metric === 'min') return metric;
  return undefined;
}

/** k6 thresholds from the budgets: latency → `http_req_duration{journey:x}`, errors → `http_req_failed`. */
export function thresholdsFrom(
  budgets: readonly LoadBudget[],
  journeys: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (k: string, v: string) => {
    out[k] ??= [];
    out[k].push(v);
  };
  for (const b of budgets) {
    const all = b.subject === '*' || b.subject === 'all';
    if (!all && !journeys.includes(b.subject)) continue;
    const tag = all ? '' : `{journey:${b.subject}}`;
    const agg = aggregation(b.metric);
    if (agg) add(`http_req_duration${tag}`, `${agg}${b.op}${b.limit}`);
    else if (b.metric === 'errors') add(`http_req_failed${tag}`, `rate${b.op}${b.limit}`);
    else if (b.metric === 'throughput') add(`http_reqs${tag}`, `rate${b.op}${b.limit}`);
  }
  return out;
}

/** The k6 scenario executor for the plan's profile. */
export function executorFor(
  phases: readonly ProfilePhase[],
  closed: { users: number; think: DistSpec } | undefined,
  duration: number,
): Record<string, unknown> {
  if (closed) {
    return {
      executor: 'ramping-vus',
      startVUs: closed.users,
      stages: [{ target: closed.users, duration: k6Duration(duration) }],
      gracefulRampDown: '0s',
    };
  }
  const peak = Math.max(1, ...phases.map((p) => (p.kind === 'ramp' ? Math.max(p.from, p.to) : p.rate)));
  const vus = {
    preAllocatedVUs: Math.max(10, Math.ceil(peak / 2)),
    maxVUs: Math.max(50, Math.ceil(peak * 4)),
  };
  if (phases.length === 1 && phases[0].kind !== 'ramp') {
    return {
      executor: 'constant-arrival-rate',
      rate: Math.round(phases[0].rate),
      timeUnit: '1s',
      duration: k6Duration(phases[0].for),
      ...vus,
    };
  }
  const stages: { target: number; duration: string }[] = [];
  const first = phases[0];
  const startRate = first ? Math.round(first.kind === 'ramp' ? first.from : first.rate) : 0;
  let current = startRate;
  for (const p of phases) {
    if (p.kind === 'ramp') {
      if (Math.round(p.from) !== current) stages.push({ target: Math.round(p.from), duration: '0s' });
      stages.push({ target: Math.round(p.to), duration: k6Duration(phaseLength(p)) });
      current = Math.round(p.to);
    } else {
      if (Math.round(p.rate) !== current) stages.push({ target: Math.round(p.rate), duration: '0s' });
      stages.push({ target: Math.round(p.rate), duration: k6Duration(p.for) });
      current = Math.round(p.rate);
    }
  }
  return { executor: 'ramping-arrival-rate', startRate, timeUnit: '1s', stages, ...vus };
}
