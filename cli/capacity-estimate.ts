/**
 * The analytic first estimate `backline capacity` shows beside the simulated answer: every service
 * is a set of independent M/M/c stations (one per replica, `c` = workers, Poisson arrivals split
 * evenly, exponential service with the scenario's mean time), a journey's latency is the sum over
 * the services it visits. Means are exact for that network (Erlang-C); percentiles add the
 * per-station percentiles, which is conservative for journeys visiting several services.
 */
import type { Budget } from '../scenarios/budgets.js';
import { offeredLoad, visitsPerJourney } from '../scenarios/capacity.js';
import type { Scenario } from '../scenarios/schema.js';
import { erlangC, mmcResponse } from '../sim/analytic.js';

/** One station kind: a service's replicas, each an M/M/c queue. */
interface Station {
  service: string;
  /** Servers per station (workers per replica). */
  c: number;
  /** Stations sharing the service's traffic (regions × replicas). */
  stations: number;
  /** Mean visits per arriving journey (over the journey mix). */
  visits: number;
  /** Service rate per worker, 1/s. */
  mu: number;
}

/** The analytic answer for one budget. */
export interface CapacityEstimate {
  /** Highest arrival rate meeting the budget, or the saturation rate when the model cannot tell. */
  rate: number;
  /** Arrival rate at which the bottleneck service saturates (ρ = 1). */
  saturation: number;
  bottleneck: string;
  method: string;
}

function stations(s: Scenario): Station[] {
  return offeredLoad(s).map((o) => ({
    service: o.service,
    c: o.workers,
    stations: o.regions * o.replicas,
    visits: o.visits,
    mu: o.meanTime > 0 ? 1 / o.meanTime : Number.POSITIVE_INFINITY,
  }));
}

/** P(T ≤ t) of the M/M/c response time: wait (0 w.p. 1−C, else Exp(cμ−λ)) plus service Exp(μ). */
export function mmcResponseCdf(c: number, lambda: number, mu: number, t: number): number {
  const a = lambda / mu;
  if (a >= c) return 0;
  const pw = erlangC(c, a);
  const r = c * mu - lambda;
  const service = 1 - Math.exp(-mu * t);
  // Hypoexponential CDF of Exp(r) + Exp(mu); the limit r → mu is the Erlang-2 CDF.
  const both =
    Math.abs(r - mu) < 1e-9 * mu
      ? 1 - Math.exp(-mu * t) * (1 + mu * t)
      : 1 - (mu * Math.exp(-r * t) - r * Math.exp(-mu * t)) / (mu - r);
  return (1 - pw) * service + pw * both;
}

/** The `p`-quantile (0..1) of the M/M/c response time, by bisection on its CDF. */
export function mmcResponseQuantile(c: number, lambda: number, mu: number, p: number): number {
  if (lambda / mu >= c) return Number.POSITIVE_INFINITY;
  let lo = 0;
  let hi = 1 / mu;
  while (mmcResponseCdf(c, lambda, mu, hi) < p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (mmcResponseCdf(c, lambda, mu, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const QUANTILE: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, p999: 0.999 };

/**
 * The budget's metric predicted at total arrival rate `lambda` (ms for latencies, 0..1 for
 * utilization), or undefined when this model does not predict that metric.
 */
export function predictMetric(s: Scenario, budget: Budget, lambda: number): number | undefined {
  const all = stations(s);
  if (budget.kind === 'service' && budget.metric === 'utilization') {
    const st = all.find((x) => x.service === budget.subject);
    return st ? (lambda * st.visits) / (st.mu * st.stations * st.c) : undefined;
  }
  if (budget.kind !== 'journey') return undefined;
  const journey = s.users.journeys[budget.subject];
  if (!journey) return undefined;
  const own = visitsPerJourney({ ...s, users: { ...s.users, journeys: { [budget.subject]: journey } } });
  const q = QUANTILE[budget.metric];
  if (budget.metric !== 'mean' && q === undefined) return undefined;
  let total = 0;
  for (const st of all) {
    const v = own[st.service] ?? 0;
    if (v === 0) continue;
    const perStation = (lambda * st.visits) / st.stations;
    const seconds =
      q === undefined
        ? mmcResponse(st.c, perStation, st.mu)
        : mmcResponseQuantile(st.c, perStation, st.mu, q);
    total += v * seconds;
  }
  return total * 1000;
}

/** The analytic estimate of the highest arrival rate meeting `budget`. */
export function estimateCapacity(s: Scenario, budget: Budget): CapacityEstimate {
  const all = stations(s).filter((x) => x.visits > 0);
  let saturation = Number.POSITIVE_INFINITY;
  let bottleneck = '-';
  for (const st of all) {
    const sat = (st.mu * st.stations * st.c) / st.visits;
    if (sat < saturation) {
      saturation = sat;
      bottleneck = st.service;
    }
  }
  const upward = budget.op === '<' || budget.op === '<=';
  const at = (lambda: number) => predictMetric(s, budget, lambda);
  const probe = at(saturation * 0.5);
  if (probe === undefined || !upward || !Number.isFinite(saturation)) {
    return { rate: saturation, saturation, bottleneck, method: 'saturation of the bottleneck (ρ = 1)' };
  }
  // The metric grows with the rate; find where it crosses the limit below saturation.
  let lo = 0;
  let hi = saturation;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    const v = at(mid);
    if (v !== undefined && v < budget.limit) lo = mid;
    else hi = mid;
  }
  const method =
    budget.metric === 'utilization'
      ? 'utilization law ρ = λ·visits·E[S] ÷ servers'
      : budget.metric === 'mean'
        ? 'M/M/c per station (Erlang-C), mean response summed over the journey'
        : 'M/M/c per station (Erlang-C), response-time quantiles summed over the journey';
  return { rate: lo, saturation, bottleneck, method };
}
