/**
 * The request plan: a scenario's journeys, weights, requests and profile turned into what a load
 * driver sends and when. Every random choice (which journey, which user, which item, which fake
 * song) comes from streams seeded by the scenario's seed, so a run is reproducible request by
 * request; only the wall clock differs.
 */
import { UsageError } from '../results/errors.js';
import type { DistSpec } from '../scenarios/distribution.js';
import { RandomStreams, type Rng } from '../sim/kernel/random.js';
import {
  LOAD_DEFAULTS,
  type LoadScenario,
  type LoadSpec,
  type ProfilePhase,
  type RequestSpec,
} from './shape.js';
import { compileTemplate, resolveEnv, Secrets, type Template, templateSources } from './template.js';

/** One journey's request, compiled. */
export interface PlannedJourney {
  name: string;
  /** Share of arrivals (weights normalised). */
  share: number;
  spec: RequestSpec;
  method: string;
  path: Template;
  headers: [string, Template][];
  body?: Template;
}

/** A concrete request to send. */
export interface PlannedRequest {
  journey: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Open model: arrivals follow the profile regardless of responses. */
export interface OpenSchedule {
  kind: 'open';
  phases: ProfilePhase[];
  /** `uniform` spaces arrivals evenly (like k6's arrival-rate executors); `poisson` draws gaps. */
  spacing: 'uniform' | 'poisson';
  duration: number;
}

/** Closed model: `users` loops of request, think, request… */
export interface ClosedSchedule {
  kind: 'closed';
  users: number;
  think?: DistSpec;
  duration: number;
}

/** Everything a driver needs. */
export interface RequestPlan {
  scenario: string;
  seed: number;
  target: string;
  allow: string[];
  connections: number;
  maxRequests: number;
  maxDuration: number;
  journeys: PlannedJourney[];
  schedule: OpenSchedule | ClosedSchedule;
  secrets: Secrets;
  /** The next request (journey chosen by weight, templates rendered). */
  next(): PlannedRequest;
  /** The next journey chosen by weight (what `next` renders). */
  pick(): number;
  /** Requests of one given journey (closed-model users and k6 use their own choice). */
  render(journey: number): PlannedRequest;
}

/** Overrides from the command line. */
export interface PlanOptions {
  target?: string;
  seed?: number;
  /** Override the profile with a constant rate (per second) for `duration`. */
  rate?: number;
  duration?: number;
  connections?: number;
  spacing?: 'uniform' | 'poisson';
}

/** The `load` section with contract defaults, or a default derived from the scenario. */
export function loadSpecOf(s: LoadScenario, opts: PlanOptions = {}): LoadSpec {
  const l = s.load;
  const base: LoadSpec = {
    target: opts.target ?? l?.target ?? '',
    allow: l?.allow ?? LOAD_DEFAULTS.allow,
    tool: l?.tool ?? LOAD_DEFAULTS.tool,
    connections: opts.connections ?? l?.connections ?? LOAD_DEFAULTS.connections,
    maxRequests: l?.maxRequests ?? LOAD_DEFAULTS.maxRequests,
    maxDuration: l?.maxDuration ?? LOAD_DEFAULTS.maxDuration,
    profile: l?.profile?.length ? l.profile : profileFromArrivals(s),
    closed: l?.closed ?? closedFromArrivals(s),
    requests: l?.requests ?? {},
  };
  if (opts.rate !== undefined) {
    base.profile = [{ kind: 'hold', rate: opts.rate, for: opts.duration ?? profileLength(base.profile) }];
    base.closed = undefined;
  } else if (opts.duration !== undefined) base.profile = fitProfile(base.profile, opts.duration);
  return base;
}

/** What the simulation's arrivals mean as a load profile (open processes only). */
export function profileFromArrivals(s: LoadScenario): ProfilePhase[] {
  const a = s.users.arrivals;
  const d = s.duration;
  switch (a.kind) {
    case 'poisson':
      return [{ kind: 'hold', rate: a.rate ?? 0, for: d }];
    case 'ramp':
      return [
        { kind: 'ramp', from: a.from ?? 0, to: a.to ?? 0, over: a.over ?? 0 },
        { kind: 'hold', rate: a.to ?? 0, for: Math.max(0, d - (a.over ?? 0)) },
      ];
    case 'spike': {
      const at = a.at ?? 0;
      const len = a.for ?? 0;
      return [
        { kind: 'hold', rate: a.base ?? 0, for: at },
        { kind: 'spike', rate: a.peak ?? 0, for: len },
        { kind: 'hold', rate: a.base ?? 0, for: Math.max(0, d - at - len) },
      ].filter((p) => p.for > 0) as ProfilePhase[];
    }
    case 'diurnal':
      return [{ kind: 'hold', rate: (a as { mean?: number }).mean ?? 0, for: d }];
    default:
      return [];
  }
}

function closedFromArrivals(s: LoadScenario): LoadSpec['closed'] {
  const a = s.users.arrivals;
  return a.kind === 'closed' && a.users
    ? { users: a.users, think: a.think ?? { kind: 'const', value: 0 } }
    : undefined;
}

/** Seconds a phase lasts. */
export function phaseLength(p: ProfilePhase): number {
  return p.kind === 'ramp' ? p.over : p.for;
}

/** Seconds the whole profile lasts. */
export function profileLength(phases: readonly ProfilePhase[]): number {
  return phases.reduce((a, p) => a + phaseLength(p), 0);
}

/** The profile cut at `seconds`. */
export function truncate(phases: readonly ProfilePhase[], seconds: number): ProfilePhase[] {
  const out: ProfilePhase[] = [];
  let left = seconds;
  for (const p of phases) {
    if (left <= 0) break;
    const len = phaseLength(p);
    if (len <= left) out.push(p);
    else if (p.kind === 'ramp')
      out.push({ ...p, over: left, to: p.from + ((p.to - p.from) * left) / p.over });
    else out.push({ ...p, for: left });
    left -= len;
  }
  return out;
}

/**
 * The profile made exactly `seconds` long: cut when longer, and when shorter its last rate is held
 * for the rest (so `--duration` means how long to load, whatever the profile says).
 */
export function fitProfile(phases: readonly ProfilePhase[], seconds: number): ProfilePhase[] {
  const len = profileLength(phases);
  if (len >= seconds || phases.length === 0) return truncate(phases, seconds);
  const last = phases[phases.length - 1];
  const rate = last.kind === 'ramp' ? last.to : last.rate;
  return [...phases, { kind: 'hold', rate, for: seconds - len }];
}

/** The offered rate (per second) at time `t`. */
export function rateAt(phases: readonly ProfilePhase[], t: number): number {
  let start = 0;
  for (const p of phases) {
    const len = phaseLength(p);
    if (t < start + len) {
      if (p.kind === 'ramp') return p.from + ((p.to - p.from) * (t - start)) / p.over;
      return p.rate;
    }
    start += len;
  }
  return 0;
}

/** Expected number of arrivals over the profile (its integral). */
export function expectedArrivals(phases: readonly ProfilePhase[]): number {
  return phases.reduce(
    (a, p) => a + (p.kind === 'ramp' ? ((p.from + p.to) / 2) * p.over : p.rate * p.for),
    0,
  );
}

/**
 * Intended start times in seconds: the n-th arrival is where the cumulative rate Λ(t) reaches the
 * n-th target (n - 1/2 for uniform spacing, a sum of unit exponentials for Poisson), so the same
 * inversion serves constant, ramped and spiked phases.
 */
export function* arrivalTimes(
  phases: readonly ProfilePhase[],
  spacing: 'uniform' | 'poisson',
  rng: Rng,
): Generator<number, void, void> {
  let target = spacing === 'uniform' ? 0.5 : -Math.log(1 - rng());
  let start = 0;
  let done = 0; // Λ at the start of the current phase
  for (const p of phases) {
    const len = phaseLength(p);
    const r0 = p.kind === 'ramp' ? p.from : p.rate;
    const r1 = p.kind === 'ramp' ? p.to : p.rate;
    const total = ((r0 + r1) / 2) * len;
    while (target - done <= total && len > 0) {
      const need = target - done;
      // Solve r0 τ + (r1 - r0) τ² / (2 len) = need for τ in [0, len].
      const a = (r1 - r0) / (2 * len);
      let tau: number;
      if (Math.abs(a) < 1e-12) tau = r0 > 0 ? need / r0 : len;
      else tau = (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 4 * a * need))) / (2 * a);
      yield start + Math.min(len, Math.max(0, tau));
      target += spacing === 'uniform' ? 1 : -Math.log(1 - rng());
    }
    done += total;
    start += len;
  }
}

/** Builds the plan of `scenario`; templates and secrets are resolved here, so mistakes surface first. */
export function buildPlan(s: LoadScenario, opts: PlanOptions = {}): RequestPlan {
  const load = loadSpecOf(s, opts);
  const seed = opts.seed ?? s.seed;
  const names = Object.keys(s.users.journeys);
  if (names.length === 0) throw new UsageError('the scenario has no journeys to send');
  const secrets = new Secrets();
  const sources = templateSources(seed, { population: s.users.population, catalog: s.catalog });
  const encodePath = (v: string) => encodeURIComponent(v);
  const totalWeight = names.reduce((a, n) => a + s.users.journeys[n].weight, 0);
  const journeys: PlannedJourney[] = names.map((name) => {
    const spec: RequestSpec = load.requests[name] ?? {
      method: 'GET',
      path: `/journeys/${name}`,
      headers: {},
    };
    if (!spec.path.startsWith('/')) throw new UsageError(`load.requests.${name}: path must start with /`);
    return {
      name,
      share: s.users.journeys[name].weight / totalWeight,
      spec,
      method: spec.method.toUpperCase(),
      path: compileTemplate(spec.path, sources, secrets, encodePath),
      headers: Object.entries(spec.headers ?? {}).map(([k, v]) => [k, compileTemplate(v, sources, secrets)]),
      body: spec.body === undefined ? undefined : compileTemplate(spec.body, sources, secrets),
    };
  });
  for (const name of Object.keys(load.requests)) {
    if (!names.includes(name))
      throw new UsageError(`load.requests.${name}: no journey \`${name}\` in users.journeys`);
  }
  const cum = new Float64Array(journeys.length);
  let acc = 0;
  journeys.forEach((j, i) => {
    acc += j.share;
    cum[i] = acc;
  });
  const pick = new RandomStreams(seed, 0).stream('load:journeys');
  const choose = (): number => {
    const u = pick();
    let i = 0;
    while (i < cum.length - 1 && u >= cum[i]) i++;
    return i;
  };
  const render = (journey: number): PlannedRequest => {
    const j = journeys[journey];
    const headers: Record<string, string> = {};
    for (const [k, t] of j.headers) headers[k] = t.render();
    return { journey, method: j.method, path: j.path.render(), headers, body: j.body?.render() };
  };
  const duration = Math.min(load.maxDuration, profileLength(load.profile));
  const schedule: OpenSchedule | ClosedSchedule = load.closed
    ? {
        kind: 'closed',
        users: load.closed.users,
        think: load.closed.think,
        duration: Math.min(load.maxDuration, opts.duration ?? s.duration),
      }
    : {
        kind: 'open',
        phases: truncate(load.profile, duration),
        spacing:
          opts.spacing ??
          (s.users.arrivals.kind === 'poisson' && !s.load?.profile?.length ? 'poisson' : 'uniform'),
        duration,
      };
  return {
    scenario: s.name,
    seed,
    // `load.target` may itself be a secret (`${env.TARGET}`); results show it redacted.
    target: resolveEnv(load.target, secrets),
    allow: load.allow,
    connections: load.connections,
    maxRequests: load.maxRequests,
    maxDuration: load.maxDuration,
    journeys,
    schedule,
    secrets,
    render,
    pick: choose,
    next: () => render(choose()),
  };
}
