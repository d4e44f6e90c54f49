/**
 * Scenario → a TypeScript k6 script (k6 ≥ 0.57 runs `.ts` directly): `options.scenarios` from the
 * profile (`constant-arrival-rate` for one constant rate, `ramping-arrival-rate` otherwise,
 * `ramping-vus` for a closed model), a `journey` tag on every request, thresholds from the
 * budgets, `summaryTrendStats` with p(99), a status check and a `handleSummary` writing JSON.
 *
 * Templates become JavaScript: `{{user.id}}` a uniform draw, `{{catalog.item}}` a continuous
 * Zipf approximation, `{{faker.*}}` a pool of values rendered here with the seeded faker (k6 has
 * no faker without an extension), `${env.NAME}` `__ENV.NAME` (the value never enters the file).
 */
import type { DistSpec } from '../../scenarios/distribution.js';
import { distMean } from '../../sim/kernel/distributions.js';
import { loadSpecOf, type PlanOptions, phaseLength } from '../plan.js';
import type { LoadBudget, LoadScenario, ProfilePhase } from '../shape.js';
import { templateSources } from '../template.js';

/** Options of the generator. */
export interface K6ScriptOptions extends PlanOptions {
  /** Where `handleSummary` writes its JSON (default `summary.json`). */
  summaryFile?: string;
  /** Size of each faker value pool (default 200). */
  pool?: number;
}

const q = (s: string) => JSON.stringify(s);

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

/** JavaScript expression text for a template. */
function templateJs(source: string, pools: Map<string, string[]>, encode: boolean): string {
  const parts: string[] = [];
  let last = 0;
  const re = /\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}|\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
  for (const m of source.matchAll(re)) {
    if (m.index > last) parts.push(q(source.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[2]) parts.push(`(__ENV.${m[2]} ?? '')`);
    else if (m[1] === 'user.id') parts.push('String(userId())');
    else if (m[1] === 'catalog.item') parts.push('String(catalogItem())');
    else if (m[1].startsWith('faker.')) {
      pools.set(m[1], []);
      const pick = `pick(POOLS[${q(m[1])}])`;
      parts.push(encode ? `encodeURIComponent(${pick})` : pick);
    } else parts.push(q(m[0]));
  }
  if (last < source.length) parts.push(q(source.slice(last)));
  return parts.length ? parts.join(' + ') : "''";
}

/** The k6 TypeScript script for `scenario`. */
export function k6Script(s: LoadScenario, opts: K6ScriptOptions = {}): string {
  const load = loadSpecOf(s, opts);
  const names = Object.keys(s.users.journeys);
  const duration = Math.min(
    load.maxDuration,
    load.closed ? (opts.duration ?? s.duration) : load.profile.reduce((a, p) => a + phaseLength(p), 0),
  );
  const executor = executorFor(load.profile, load.closed, duration);
  const thresholds = thresholdsFrom(s.budgets ?? [], names);
  const pools = new Map<string, string[]>();
  const journeys = names.map((name) => {
    const r = load.requests[name] ?? { method: 'GET', path: `/journeys/${name}`, headers: {} };
    const headers = Object.entries(r.headers ?? {})
      .map(([k, v]) => `${q(k)}: ${templateJs(v, pools, false)}`)
      .join(', ');
    return (
      `  {\n    name: ${q(name)},\n    weight: ${s.users.journeys[name].weight},\n` +
      `    method: ${q(r.method.toUpperCase())},\n` +
      `    path: (): string => ${templateJs(r.path, pools, true)},\n` +
      `    headers: (): Record<string, string> => ({ ${headers} }),\n` +
      `    body: (): string | null => ${r.body === undefined ? 'null' : templateJs(r.body, pools, false)},\n  },`
    );
  });
  const sources = templateSources(opts.seed ?? s.seed, {
    population: s.users.population,
    catalog: s.catalog,
  });
  for (const key of pools.keys()) {
    const path = key.split('.').slice(1);
    let obj: unknown = sources.faker;
    for (const p of path.slice(0, -1)) obj = (obj as Record<string, unknown>)[p];
    const fn = (obj as Record<string, () => unknown>)[path[path.length - 1]];
    const values: string[] = [];
    for (let i = 0; i < (opts.pool ?? 200); i++) values.push(String(fn.call(obj)));
    pools.set(key, values);
  }
  const population = s.users.population && s.users.population > 0 ? s.users.population : 1_000_000;
  const items = Math.max(1, Math.floor(s.catalog?.items ?? 10_000));
  const zipfS = s.catalog?.popularity.kind === 'zipf' ? s.catalog.popularity.s : 1;
  const think = load.closed ? distMean(load.closed.think) : 0;
  const options = {
    scenarios: { [s.name.replace(/[^a-zA-Z0-9_]/g, '_')]: executor },
    thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)'],
  };
  const summaryFile = opts.summaryFile ?? 'summary.json';
  return `// Generated by backline from scenario ${q(s.name)}: edit the scenario, not this file.
// Run: k6 run --summary-export summary-export.json --out json=points.ndjson -e TARGET=${load.target || 'http://127.0.0.1:8080'} script.ts
import { check, sleep } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

export const options: Options = ${JSON.stringify(options, null, 2)};

const BASE: string = (__ENV.TARGET ?? ${q(load.target || 'http://127.0.0.1:8080')}).replace(/\\/$/, '');
const POPULATION = ${population};
const ITEMS = ${items};
const ZIPF_S = ${zipfS};
const THINK_SECONDS = ${think};

const POOLS: Record<string, string[]> = ${JSON.stringify(Object.fromEntries(pools))};

function pick(values: string[]): string {
  return values[Math.floor(Math.random() * values.length)];
}

function userId(): number {
  return 1 + Math.floor(Math.random() * POPULATION);
}

/** Zipf ranks by inverting the continuous approximation of the Zipf CDF (close for large catalogs). */
function catalogItem(): number {
  const u = Math.random();
  if (Math.abs(ZIPF_S - 1) < 1e-9) return Math.min(ITEMS, Math.floor(Math.pow(ITEMS + 1, u)));
  const a = 1 - ZIPF_S;
  return Math.min(ITEMS, Math.max(1, Math.floor(Math.pow(u * (Math.pow(ITEMS + 1, a) - 1) + 1, 1 / a))));
}

interface Journey {
  name: string;
  weight: number;
  method: string;
  path: () => string;
  headers: () => Record<string, string>;
  body: () => string | null;
}

const JOURNEYS: Journey[] = [
${journeys.join('\n')}
];
const TOTAL_WEIGHT = JOURNEYS.reduce((a, j) => a + j.weight, 0);

function chooseJourney(): Journey {
  let u = Math.random() * TOTAL_WEIGHT;
  for (const j of JOURNEYS) {
    u -= j.weight;
    if (u < 0) return j;
  }
  return JOURNEYS[JOURNEYS.length - 1];
}

export default function (): void {
  const j = chooseJourney();
  const res = http.request(j.method, BASE + j.path(), j.body(), {
    headers: j.headers(),
    tags: { journey: j.name },
  });
  check(res, { 'status is 2xx': (r) => r.status >= 200 && r.status < 300 }, { journey: j.name });
  if (THINK_SECONDS > 0) sleep(THINK_SECONDS);
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return { ${q(summaryFile)}: JSON.stringify(data, null, 2) };
}
`;
}
