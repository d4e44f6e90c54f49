/**
 * The request plan: a scenario's journeys, weights, requests and profile turned into what a load
 * driver sends and when. Every random choice (which journey, which user, which item, which fake
 * song) comes from streams seeded by the scenario's seed, so a run is reproducible request by
 * request; only the wall clock differs.
 */
import { UsageError } from '../results/errors.js';
import type { DistSpec } from '../scenarios/distribution.js';
import { encodeTarget, headerValueProblem } from '../scenarios/load-http.js';
import { LoadSchema } from '../scenarios/load-section.js';
import type { FlowStep, RequestStep, Scenario } from '../scenarios/schema.js';
import { RandomStreams } from '../sim/kernel/random.js';
import { fitProfile, profileFromArrivals, profileLength, truncate } from './profile.js';
import type { LoadSpec, ProfilePhase, RequestSpec } from './shape.js';
import {
  compileTemplate,
  mapLiterals,
  resolveEnv,
  Secrets,
  type Template,
  type TemplateSources,
  templateSources,
} from './template.js';

export {
  arrivalTimes,
  diurnalProfile,
  expectedArrivals,
  fitProfile,
  peakRate,
  phaseLength,
  profileFromArrivals,
  profileLength,
  rateAt,
  truncate,
} from './profile.js';

/** One journey: its flow, and its first request compiled for single-request drivers. */
export interface PlannedJourney {
  name: string;
  /** Share of arrivals (weights normalised). */
  share: number;
  /** The journey's flow as validated (a single request is a one-step flow). */
  steps: FlowStep[];
  /** True when the journey needs the flow executor (several steps, think, checks, captures, variables). */
  flow: boolean;
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
  /** Seeded template sources (shared with the flow executor, so one seed gives one request sequence). */
  sources: TemplateSources;
  /** Steps each virtual user runs once before its first journey. */
  session?: FlowStep[];
  /** True when any journey is a flow or there is a session: the flow executor must run it. */
  flows: boolean;
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
export function loadSpecOf(
  s: Pick<Scenario, 'users' | 'duration' | 'load'>,
  opts: PlanOptions = {},
): LoadSpec {
  // Without a `load` section the schema's own defaults apply (one source of defaults).
  const l = s.load ?? LoadSchema.parse({ target: '' });
  const base: LoadSpec = {
    ...l,
    target: opts.target ?? l.target,
    connections: opts.connections ?? l.connections,
    profile: l.profile.length ? l.profile : profileFromArrivals(s),
    closed: l.closed ?? closedFromArrivals(s),
  };
  if (opts.rate !== undefined) {
    base.profile = [{ kind: 'hold', rate: opts.rate, for: opts.duration ?? profileLength(base.profile) }];
    base.closed = undefined;
  } else if (opts.duration !== undefined) base.profile = fitProfile(base.profile, opts.duration);
  return base;
}

/** A load longer than `load.maxDuration`, which ends it early: how long was asked, and by what. */
export interface DurationCut {
  asked: number;
  max: number;
  /** `--duration`, the scenario's `load.profile`, or the scenario's `duration` (closed model, arrivals). */
  by: 'duration' | 'profile' | 'scenario';
}

/**
 * Whether `load.maxDuration` cuts the load asked for (the plan and k6's script clamp to it, so a
 * longer run would otherwise stop early in silence); undefined when it fits.
 */
export function durationCut(
  s: Pick<Scenario, 'users' | 'duration' | 'load'>,
  opts: PlanOptions = {},
): DurationCut | undefined {
  const load = loadSpecOf(s, opts);
  const asked = load.closed ? (opts.duration ?? s.duration) : profileLength(load.profile);
  if (!(asked > load.maxDuration)) return undefined;
  const by =
    opts.duration !== undefined
      ? 'duration'
      : !load.closed && s.load?.profile?.length
        ? 'profile'
        : 'scenario';
  return { asked, max: load.maxDuration, by };
}

function closedFromArrivals(s: Pick<Scenario, 'users'>): LoadSpec['closed'] {
  const a = s.users.arrivals;
  return a.kind === 'closed' && a.users
    ? { users: a.users, think: a.think ?? { kind: 'const', value: 0 } }
    : undefined;
}

/** The sections of a scenario a request plan is built from. */
export type PlanScenario = Pick<Scenario, 'name' | 'seed' | 'duration' | 'users' | 'catalog' | 'load'>;

/** Builds the plan of `scenario`; templates and secrets are resolved here, so mistakes surface first. */
export function buildPlan(s: PlanScenario, opts: PlanOptions = {}): RequestPlan {
  const load = loadSpecOf(s, opts);
  const seed = opts.seed ?? s.seed;
  const names = Object.keys(s.users.journeys);
  if (names.length === 0) throw new UsageError('the scenario has no journeys to send');
  const secrets = new Secrets();
  const sources = templateSources(seed, { population: s.users.population, catalog: s.catalog });
  const encodePath = (v: string) => encodeURIComponent(v);
  const totalWeight = names.reduce((a, n) => a + s.users.journeys[n].weight, 0);
  const session = load.session && load.session.length > 0 ? load.session : undefined;
  const journeys: PlannedJourney[] = names.map((name) => {
    const steps: FlowStep[] = load.requests[name] ?? [defaultRequest(name)];
    const spec = steps.find((x): x is RequestStep => x.kind === 'request') ?? defaultRequest(name);
    // Flow templates (`{{token}}`, `{{feed.x.y}}`) only render per virtual user: the first request
    // is compiled here for single-request drivers only when the journey is not a flow.
    const flow = session !== undefined || isFlow(steps);
    const compile = (text: string, encode?: (v: string) => string) =>
      flow ? constantTemplate(text) : compileTemplate(text, sources, secrets, encode);
    return {
      name,
      share: s.users.journeys[name].weight / totalWeight,
      steps,
      flow,
      spec,
      method: spec.method.toUpperCase(),
      path: compile(mapLiterals(spec.path, encodeTarget), encodePath),
      headers: Object.entries(spec.headers ?? {}).map(([k, v]) => [k, checkedHeader(name, k, compile(v))]),
      body: spec.body === undefined ? undefined : compile(spec.body),
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
    sources,
    session,
    flows: journeys.some((j) => j.flow),
    render,
    pick: choose,
    next: () => render(choose()),
  };
}

/** The request a journey without a `load.requests` entry sends. */
export function defaultRequest(name: string): RequestStep {
  return {
    kind: 'request',
    name: `get /journeys/${name}`,
    method: 'GET',
    path: `/journeys/${name}`,
    headers: {},
    capture: [],
    check: [],
  };
}

const FLOW_TEMPLATE = /\{\{\s*(feed\.|[A-Za-z_][A-Za-z0-9_]*\s*\}\})/;

/** Whether a journey needs the flow executor rather than one request per arrival. */
function isFlow(steps: readonly FlowStep[]): boolean {
  if (steps.length !== 1 || steps[0].kind !== 'request') return true;
  const r = steps[0];
  if (r.capture.length > 0 || r.check.length > 0 || r.json !== undefined) return true;
  return [r.path, r.body ?? '', ...Object.values(r.headers)].some((t) => FLOW_TEMPLATE.test(t));
}

/** A stand-in for a flow's first request in single-request drivers (which refuse flows). */
function constantTemplate(source: string): Template {
  return { source, constant: true, render: () => source };
}

/**
 * A header whose value is fixed once `${env.X}` is read is checked at plan time, so `load --max`
 * (autocannon, which writes headers as given) can never send CR/LF from a secret: exit 2 instead.
 * The message quotes the template, never the value.
 */
function checkedHeader(journey: string, name: string, t: Template): Template {
  if (t.constant && headerValueProblem(t.render()) !== undefined)
    throw new UsageError(
      `load.requests.${journey}: header \`${name}: ${t.source}\` has CR, LF, NUL or non-ASCII characters once expanded`,
    );
  return t;
}
