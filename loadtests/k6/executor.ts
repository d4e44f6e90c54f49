/**
 * The k6 side of a load plan: the scenario executor for the profile (`constant-arrival-rate` for one
 * constant rate, `ramping-arrival-rate` otherwise, `ramping-vus` for a closed model) and thresholds
 * from the budgets. Pure data: `lit` writes it into the script.
 */
import type { DistSpec } from '../../scenarios/distribution.js';
import type { Budget } from '../../scenarios/schema.js';
import { phaseLength } from '../plan.js';
import type { ProfilePhase } from '../shape.js';

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

/**
 * Whether `value` survives k6's submetric syntax `metric{tag:value,…}`: k6 splits the tags on `,`
 * and trims spaces and quotes around each value, so such a name could not be selected.
 */
function tagSafe(value: string): boolean {
  return value !== '' && !value.includes(',') && !/^[\s"']|[\s"']$/.test(value);
}

/** k6 thresholds from the budgets, and the budgets k6 cannot express (checked by `backline merge`). */
export interface K6Thresholds {
  thresholds: Record<string, string[]>;
  skipped: string[];
}

/**
 * k6 thresholds from the budgets. A journey is the whole flow: latency → `journey_duration`
 * (successful journeys, like backline's), errors → `journey_failed` (rate), throughput →
 * `journeys` (per second), checks → `checks` (pass rate), each selected by `{journey:x}`; a step
 * budget (`play[get /v1/tracks].p99`) selects `{journey:play,step:get /v1/tracks}` of
 * `http_req_duration`, `step_failed` or `checks`.
 */
export function thresholdsFrom(
  budgets: readonly Pick<Budget, 'expr' | 'subject' | 'metric' | 'op' | 'limit'>[],
  journeys: readonly string[],
): K6Thresholds {
  const thresholds: Record<string, string[]> = {};
  const skipped: string[] = [];
  const add = (k: string, v: string) => {
    thresholds[k] ??= [];
    thresholds[k].push(v);
  };
  // `99.9%` parses to 0.9990000000000001: twelve significant digits are what the budget said.
  const limit = (b: { limit: number }) => String(Number(b.limit.toPrecision(12)));
  for (const b of budgets) {
    const step = /^([^[]+)\[(.+)\]$/s.exec(b.subject);
    const journey = step ? step[1] : b.subject;
    const all = !step && (b.subject === '*' || b.subject === 'all');
    if (!all && !journeys.includes(journey)) continue;
    if ((step && !tagSafe(step[2])) || !(all || tagSafe(journey))) {
      skipped.push(b.expr);
      continue;
    }
    const tag = all ? '' : step ? `{journey:${journey},step:${step[2]}}` : `{journey:${journey}}`;
    const agg = aggregation(b.metric);
    if (agg) add(`${step ? 'http_req_duration' : 'journey_duration'}${tag}`, `${agg}${b.op}${limit(b)}`);
    else if (b.metric === 'errors')
      add(`${step ? 'step_failed' : 'journey_failed'}${tag}`, `rate${b.op}${limit(b)}`);
    else if (b.metric === 'checks') add(`checks${tag}`, `rate${b.op}${limit(b)}`);
    else if (b.metric === 'throughput' && !step) add(`journeys${tag}`, `rate${b.op}${limit(b)}`);
    else skipped.push(b.expr);
  }
  return { thresholds, skipped };
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
