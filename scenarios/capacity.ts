/**
 * A static capacity check before running: the offered load of each service, ρ = arrival rate ×
 * visits per journey × mean service time ÷ (regions × replicas × workers). A service at ρ ≥ 1 cannot
 * keep up on average, so its queues grow until requests are rejected; the run still goes (queues are
 * bounded), but the author should hear about it first.
 */

import { distMean } from '../math/moments.js';
import { peakRate } from './arrivals.js';
import { clampedNormal, simulatedMean } from './normal-clamp.js';
import { describeBadRow, readReplayFile } from './replay-file.js';
import type { Call } from './route.js';
import type { Scenario } from './schema.js';

/** The offered load of one service, with the numbers that make it. */
export interface OfferedLoad {
  service: string;
  /** Journeys per second entering the system (the highest sustained rate of the arrivals). */
  rate: number;
  /** Mean visits to this service per journey, over the journey mix. */
  visits: number;
  /** Mean service time in seconds. */
  meanTime: number;
  /** Regions the service runs in; `replicas` run in each. */
  regions: number;
  replicas: number;
  workers: number;
  /** Utilisation ρ = rate × visits × meanTime ÷ (regions × replicas × workers). */
  rho: number;
  /** ρ at the autoscaler's maximum, when the service autoscales. */
  rhoAtMax?: number;
}

/** Deeper call chains than this are not followed (the loader refuses cycles; this guards direct use). */
const MAX_DEPTH = 64;

/**
 * Mean visits per journey to each service: journeys weighted by their share of arrivals, steps and
 * route calls followed, each call counted with its probability, every branch of a `parallel`.
 */
export function visitsPerJourney(s: Scenario): Record<string, number> {
  const visits: Record<string, number> = {};
  for (const name of Object.keys(s.services)) visits[name] = 0;
  const visit = (target: string, m: number, depth: number) => {
    const [svc, route] = target.split('.');
    if (!Object.hasOwn(s.services, svc) || depth > MAX_DEPTH) return;
    visits[svc] += m;
    const calls = route === undefined ? undefined : s.services[svc].routes[route];
    if (calls) walk(calls, m, depth + 1);
  };
  const walk = (calls: Call[], m: number, depth: number) => {
    for (const c of calls) {
      if ('parallel' in c) walk(c.parallel, m, depth);
      else visit(c.call, m * c.p, depth);
    }
  };
  const journeys = Object.values(s.users.journeys);
  const total = journeys.reduce((a, j) => a + j.weight, 0);
  for (const j of journeys) for (const step of j.steps) visit(step, j.weight / total, 0);
  return visits;
}

/** The offered load of every service, in the scenario's order; empty when the rate is unknown (replay). */
export function offeredLoad(s: Scenario): OfferedLoad[] {
  const visits = visitsPerJourney(s);
  const a = s.users.arrivals;
  // Closed users cannot offer N / Z: each waits for its journey, so the bound is N / (Z + D), D
  // the journey's service demand without queueing (the response time law, X = N / (Z + R)).
  const demand = Object.entries(s.services).reduce(
    (d, [name, def]) => d + visits[name] * simulatedMean(def.time),
    0,
  );
  const rate = a.kind === 'closed' ? a.users / (distMean(a.think) + demand) : peakRate(a);
  if (rate === undefined || !Number.isFinite(rate)) return [];
  const regionCount = Math.max(1, Object.keys(s.regions).length);
  return Object.entries(s.services).map(([service, def]) => {
    const regions = def.regions?.length ?? regionCount;
    const meanTime = simulatedMean(def.time);
    const work = rate * visits[service] * meanTime;
    const out: OfferedLoad = {
      service,
      rate,
      visits: visits[service],
      meanTime,
      regions,
      replicas: def.replicas,
      workers: def.workers,
      rho: work / (regions * def.replicas * def.workers),
    };
    if (def.autoscale) out.rhoAtMax = work / (regions * def.autoscale.max * def.workers);
    return out;
  });
}

/** Seconds for a message: `1.396s`, `5ms`. */
const fmtSeconds = (x: number) => (x >= 1 ? `${fmt(x)}s` : `${fmt(x * 1000)}ms`);

/** Up to 4 significant digits, without trailing zeros. */
const fmt = (x: number) => String(Number(x.toPrecision(4)));

/** The arithmetic behind one ρ, for people: `3000/s × 1 visit × 2.5 ms ÷ (6 × 1 workers)`. */
export function explainLoad(o: OfferedLoad): string {
  const visits = `${fmt(o.visits)} visit${o.visits === 1 ? '' : 's'}`;
  const servers = `${o.regions > 1 ? `${o.regions} regions × ` : ''}${o.replicas} × ${o.workers} workers`;
  return `${fmt(o.rate)}/s × ${visits} × ${fmt(o.meanTime * 1000)} ms ÷ (${servers})`;
}

/**
 * Warnings for services offered more work than they can do (ρ ≥ 1), e.g.
 * `gateway: offered load ρ = 1.24 (3000/s × 1 visit × 2.5 ms ÷ (6 × 1 workers)) — queues will grow
 * until rejected`.
 */
export function capacityWarnings(s: Scenario): string[] {
  const out: string[] = [];
  for (const [name, def] of Object.entries(s.services)) {
    if (def.time.kind !== 'normal') continue;
    const c = clampedNormal(def.time.mean, def.time.sd);
    if (c.below >= 0.001)
      out.push(
        `${name}: time normal(mean: ${fmtSeconds(def.time.mean)}, sd: ${fmtSeconds(def.time.sd)}) draws ${(c.below * 100).toFixed(1)} % below 0, clamped to 0: the simulated mean is ${fmtSeconds(c.mean)}, not ${fmtSeconds(def.time.mean)} (the capacity check uses ${fmtSeconds(c.mean)})`,
      );
  }
  const a = s.users.arrivals;
  if (a.kind === 'replay') {
    const rows = readReplayFile(a.file);
    if (rows.firstBad)
      out.push(
        `replay file ${a.file}: ${rows.bad} unparsable row(s) skipped of ${rows.bad + rows.times.length}; first ${describeBadRow(rows.firstBad)}`,
      );
  }
  for (const o of offeredLoad(s)) {
    if (!(o.rho >= 1)) continue;
    const rho = Number.isFinite(o.rho) ? o.rho.toFixed(2) : '∞';
    const tail =
      o.rhoAtMax !== undefined && o.rhoAtMax < 1
        ? `until autoscaling adds replicas (ρ = ${o.rhoAtMax.toFixed(2)} at its max of ${s.services[o.service].autoscale?.max}), queues grow`
        : s.users.arrivals.kind === 'closed'
          ? `it saturates: throughput is capped at its capacity and up to ${s.users.arrivals.users} users wait (closed model, N / (Z + D))`
          : 'queues will grow until rejected';
    out.push(`${o.service}: offered load ρ = ${rho} (${explainLoad(o)}) — ${tail}`);
  }
  return out;
}
