/**
 * Checks that need more than one section: names used in steps, routes, faults, budgets and the load
 * section exist; call graphs have no cycles; regions are declared; sizes stay within what a run can
 * hold. They run even when some fields failed, so one load reports every mistake; values are
 * therefore read defensively (a field may hold raw input, parsed output or a failure marker).
 */
import type { z } from 'zod';
import { peakRate } from './arrivals.js';
import { METRICS, type SubjectKind, splitBudgetKey } from './budgets.js';
import { ALL } from './faults.js';
import { DEFAULT_REGION, splitPair } from './regions.js';
import { MAX_CONCURRENCY } from './service.js';
import { didYouMean, listOf } from './suggest.js';
import { formatDuration } from './units.js';

type Ctx = z.core.$RefinementCtx<unknown>;
type Path = (string | number)[];
type Rec = Record<string, unknown>;

/** Events (arrivals) per replication beyond this are refused: the run would not finish. */
export const MAX_ARRIVALS = 1e11;

const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const recordOf = (v: unknown): Rec => (isRecord(v) ? v : {});
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const big = (n: number) => (n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : String(Math.round(n)));

/** What the checks need to know about the scenario's names. */
interface Names {
  services: Rec;
  stores: string[];
  streams: string[];
  journeys: string[];
  regions: string[];
  declaredRegions: boolean;
  cdn: boolean;
  p2p: boolean;
}

/** Route names a service defines (raw or parsed alike). */
const routesOf = (svc: unknown): string[] => Object.keys(recordOf(recordOf(svc).routes));

/** Words with a meaning of their own in steps and calls, so they cannot name services. */
export const RESERVED = ['stores', 'stream', 'cdn'];

/**
 * The route a call to `service.route` runs. `undefined` means the service's own work only: a bare
 * `service`, or a route the service does not define (as the simulator reads it).
 */
export function routeOf(names: { services: Rec }, target: string): [string, string] | undefined {
  const [svc, route] = target.split('.');
  if (route === undefined || svc === 'stores') return undefined;
  return routesOf(names.services[svc]).includes(route) ? [svc, route] : undefined;
}

/** A message for a call/step target that does not resolve, or undefined when it does. */
function targetProblem(t: string, n: Names, where: 'step' | 'call'): string | undefined {
  const parts = t.split('.');
  if (parts.length > 2 || parts.some((p) => p === ''))
    return `bad ${where} \`${t}\`: expected \`service\` or \`service.route\``;
  if (parts[0] === 'stores') {
    if (parts.length === 1) return `bad ${where} \`stores\`: name the store, e.g. \`stores.playlists\``;
    if (n.stores.includes(parts[1])) return undefined;
    const hint =
      didYouMean(parts[1], n.stores) ||
      (n.stores.length ? `; stores are ${listOf(n.stores)}` : '; there is no `stores` section');
    return `unknown store \`${parts[1]}\` in ${where}${hint}`;
  }
  if (t === 'cdn' || (where === 'step' && t === 'stream')) {
    if (t === 'cdn' && !n.cdn) return `${where} \`cdn\` needs a \`cdn\` section`;
    if (t === 'stream' && !n.cdn && !n.p2p)
      return 'step `stream` plays content through the CDN or P2P; add a `cdn` or `p2p` section';
    return undefined;
  }
  const [svc, route] = parts;
  const services = Object.keys(n.services);
  if (!Object.hasOwn(n.services, svc)) {
    const hint = didYouMean(svc, services) || (services.length ? `; services are ${listOf(services)}` : '');
    return `unknown service \`${svc}\` in ${where}${hint}`;
  }
  const routes = routesOf(n.services[svc]);
  // A service without routes does its own work for any route name (the foundation's `gateway.search`);
  // once it lists routes, an unlisted one is most likely a typo.
  if (route !== undefined && routes.length > 0 && !routes.includes(route)) {
    return `unknown route \`${route}\` of service \`${svc}\` in ${where}${didYouMean(route, routes) || `; its routes are ${listOf(routes)}`}`;
  }
  return undefined;
}

/** The target of a call written either way (`auth.check` or `{ call: auth.check }`). */
function callTarget(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (isRecord(c) && typeof c.call === 'string') return c.call;
  return undefined;
}

/** Every call of a route with its path, depth first, with `parallel` branches inline. */
function* callsOf(calls: unknown, path: Path): Generator<[string, Path]> {
  if (!Array.isArray(calls)) return;
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    const t = callTarget(c);
    if (t !== undefined) yield [t, typeof c === 'string' ? [...path, i] : [...path, i, 'call']];
    else if (isRecord(c)) yield* callsOf(c.parallel, [...path, i, 'parallel']);
  }
}

function checkSteps(value: Rec, n: Names, ctx: Ctx): void {
  const journeys = recordOf(recordOf(value.users).journeys);
  for (const [journey, j] of Object.entries(journeys)) {
    const steps = recordOf(j).steps;
    if (!Array.isArray(steps)) continue;
    steps.forEach((step: unknown, i: number) => {
      if (typeof step !== 'string') return;
      const problem = targetProblem(step, n, 'step');
      if (problem)
        ctx.addIssue({ code: 'custom', path: ['users', 'journeys', journey, 'steps', i], message: problem });
    });
  }
}

function checkCalls(n: Names, ctx: Ctx): void {
  for (const [svc, def] of Object.entries(n.services)) {
    for (const [route, calls] of Object.entries(recordOf(recordOf(def).routes))) {
      for (const [t, path] of callsOf(calls, ['services', svc, 'routes', route])) {
        const problem = targetProblem(t, n, 'call');
        if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      }
    }
  }
}

/** Finds call cycles (`a.x → b.y → a.x`) and reports each once, at the call that closes it. */
function checkCycles(n: Names, ctx: Ctx): void {
  const state = new Map<string, 'open' | 'done'>();
  const stack: { node: string; label: string }[] = [];
  const reported = new Set<string>();
  const visit = (svc: string, route: string, label: string) => {
    const node = `${svc}.${route}`;
    state.set(node, 'open');
    stack.push({ node, label });
    const calls = recordOf(recordOf(n.services[svc]).routes)[route];
    for (const [t, path] of callsOf(calls, ['services', svc, 'routes', route])) {
      const callee = routeOf(n, t);
      if (callee === undefined) continue;
      const next = `${callee[0]}.${callee[1]}`;
      const s = state.get(next);
      if (s === 'open') {
        const from = stack.findIndex((e) => e.node === next);
        const loop = stack.slice(from);
        const key = loop
          .map((e) => e.node)
          .sort()
          .join(' ');
        if (!reported.has(key)) {
          reported.add(key);
          const labels = [
            ...loop.map((e, k) => (k === 0 ? e.node : e.label)),
            t === loop[0].node ? t : loop[0].node,
          ];
          ctx.addIssue({ code: 'custom', path, message: `call cycle: ${labels.join(' → ')}` });
        }
      } else if (s === undefined) visit(callee[0], callee[1], t);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const [svc, def] of Object.entries(n.services)) {
    for (const route of Object.keys(recordOf(recordOf(def).routes))) {
      if (!state.has(`${svc}.${route}`)) visit(svc, route, `${svc}.${route}`);
    }
  }
}

function regionProblem(r: unknown, n: Names): string | undefined {
  if (typeof r !== 'string' || n.regions.includes(r)) return undefined;
  if (!n.declaredRegions) return `unknown region \`${r}\`: the scenario declares no \`regions\``;
  return `unknown region \`${r}\`${didYouMean(r, n.regions) || `; regions are ${listOf(n.regions)}`}`;
}

function checkRegions(value: Rec, n: Names, ctx: Ctx): void {
  const at = (r: unknown, path: Path, atKey = false) => {
    const problem = regionProblem(r, n);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem, params: { atKey } });
  };
  if (n.declaredRegions) {
    let sum = 0;
    let known = true;
    for (const r of Object.values(recordOf(value.regions))) {
      const u = num(recordOf(r).users);
      if (u === undefined) known = false;
      else sum += u;
    }
    if (known && Math.abs(sum - 1) > 1e-9)
      ctx.addIssue({
        code: 'custom',
        path: ['regions'],
        message: `the regions' user shares add up to ${Number((sum * 100).toPrecision(6))}%, not 100%`,
      });
  }
  for (const kind of ['services', 'stores'] as const) {
    for (const [name, def] of Object.entries(recordOf(value[kind]))) {
      const regions = recordOf(def).regions;
      if (Array.isArray(regions))
        regions.forEach((r, i) => {
          at(r, [kind, name, 'regions', i]);
        });
    }
  }
  const latency = value.latency;
  if (isRecord(latency) && Array.isArray(latency.pairs)) {
    for (const p of latency.pairs) {
      const { a, b } = recordOf(p);
      at(a, ['latency', `${a}<->${b}`], true);
      if (b !== a) at(b, ['latency', `${a}<->${b}`], true);
    }
  } else if (isRecord(latency)) {
    for (const key of Object.keys(latency)) {
      const pair = splitPair(key);
      if (pair) for (const r of new Set(pair)) at(r, ['latency', key], true);
    }
  }
  for (const edge of Object.keys(recordOf(recordOf(value.cdn).edges))) at(edge, ['cdn', 'edges', edge], true);
}

/** How many units a crash can take down: replicas, shards or consumer instances. */
function sizeOf(target: string, value: Rec): number | undefined {
  const [head, name] = target.split('.');
  if (head === 'stores' && name) return num(recordOf(recordOf(value.stores)[name]).shards);
  if (head === 'streams' && name)
    return num(recordOf(recordOf(recordOf(value.streams)[name]).consume).instances);
  const svc = recordOf(recordOf(value.services)[target]);
  const auto = num(recordOf(svc.autoscale).max);
  const replicas = num(svc.replicas);
  return replicas === undefined ? undefined : Math.max(replicas, auto ?? 0);
}

function checkFaults(value: Rec, n: Names, ctx: Ctx): void {
  const faults = value.faults;
  if (!Array.isArray(faults)) return;
  const total = num(value.duration);
  faults.forEach((f, i) => {
    if (!isRecord(f)) return;
    const kind =
      typeof f.kind === 'string'
        ? f.kind
        : ['crash', 'outage', 'slow', 'errors', 'partition'].find((k) => k in f);
    if (kind === undefined) return;
    const path: Path = ['faults', i, kind];
    const at = num(f.at);
    if (at !== undefined && total !== undefined && at >= total)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i, 'at'],
        message: `this fault starts at ${formatDuration(at)}, after the run ends (duration ${formatDuration(total)})`,
      });
    if (kind === 'outage') {
      const problem = regionProblem(f.region ?? f.outage, n);
      if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      return;
    }
    if (kind === 'partition') {
      const pair =
        typeof f.a === 'string'
          ? [f.a, f.b]
          : typeof f.partition === 'string'
            ? splitPair(f.partition)
            : undefined;
      for (const r of new Set(pair ?? [])) {
        const problem = regionProblem(r, n);
        if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
      }
      return;
    }
    const target = typeof f.target === 'string' ? f.target : f[kind];
    if (typeof target !== 'string') return;
    const [head, name] = target.split('.');
    let problem: string | undefined;
    if (head === 'streams' && kind === 'crash') {
      if (!n.streams.includes(name ?? ''))
        problem = `unknown stream \`${name ?? ''}\` in fault${didYouMean(name ?? '', n.streams) || (n.streams.length ? `; streams are ${listOf(n.streams)}` : '')}`;
    } else if (target.split('.').length > 1 && head !== 'stores') {
      problem = `bad fault target \`${target}\`: expected a service${kind === 'crash' ? ', `stores.<name>` or `streams.<name>`' : ' or `stores.<name>`'}`;
    } else problem = targetProblem(target, n, 'call')?.replace(/ in call/, ' in fault');
    if (problem) {
      ctx.addIssue({ code: 'custom', path, message: problem });
      return;
    }
    const count = num(f.count);
    const size = sizeOf(target, value);
    if (kind === 'crash' && count !== undefined && count !== ALL && size !== undefined && count > size)
      ctx.addIssue({
        code: 'custom',
        path: ['faults', i],
        message: `this fault crashes ${count} of \`${target}\`, which has only ${size}`,
      });
  });
}

/** Which kinds of subject a budget's subject name can be, in order of preference. */
export function subjectKinds(subject: string, value: Rec): SubjectKind[] {
  const kinds: SubjectKind[] = [];
  if (Object.hasOwn(recordOf(recordOf(value.users).journeys), subject)) kinds.push('journey');
  if (Object.hasOwn(recordOf(value.services), subject)) kinds.push('service');
  if (Object.hasOwn(recordOf(value.stores), subject)) kinds.push('store');
  if (Object.hasOwn(recordOf(value.streams), subject)) kinds.push('stream');
  if (subject === 'p2p' && value.p2p !== undefined) kinds.push('p2p');
  if (subject === 'cdn' && value.cdn !== undefined) kinds.push('cdn');
  if (subject === 'cost') kinds.push('cost');
  return kinds;
}

/** The kind a budget is about: the first kind its subject names that has the metric. */
export function budgetKind(subject: string, metric: string, value: Rec): SubjectKind | undefined {
  return subjectKinds(subject, value).find((k) => Object.hasOwn(METRICS[k], metric));
}

const PLURAL: Record<SubjectKind, string> = {
  journey: 'journeys',
  service: 'services',
  store: 'stores',
  stream: 'streams',
  p2p: 'p2p',
  cdn: 'cdn',
  cost: 'cost',
};

function checkBudgets(value: Rec, n: Names, ctx: Ctx): void {
  const budgets = value.budgets;
  const entries: { key: string; subject: string; metric: string }[] = [];
  if (Array.isArray(budgets)) {
    for (const b of budgets) {
      const { subject, metric } = recordOf(b);
      if (typeof subject === 'string' && typeof metric === 'string')
        entries.push({
          key: subject === 'cost' && metric === 'cost' ? 'cost' : `${subject}.${metric}`,
          subject,
          metric,
        });
    }
  } else {
    for (const key of Object.keys(recordOf(budgets))) {
      const split = splitBudgetKey(key);
      if (split) entries.push({ key, ...split });
    }
  }
  const subjects = [
    ...n.journeys,
    ...Object.keys(n.services),
    ...n.stores,
    ...n.streams,
    ...(n.p2p ? ['p2p'] : []),
    ...(n.cdn ? ['cdn'] : []),
    'cost',
  ];
  for (const { key, subject, metric } of entries) {
    const path: Path = ['budgets', key];
    const issue = (message: string) =>
      ctx.addIssue({ code: 'custom', path, message, params: { atKey: true } });
    const kinds = subjectKinds(subject, value);
    if (kinds.length === 0) {
      if (subject === 'p2p' || subject === 'cdn') issue(`budget \`${key}\` needs a \`${subject}\` section`);
      else
        issue(
          `unknown subject \`${subject}\` in budget \`${key}\`${didYouMean(subject, subjects) || `; budgets can name ${listOf([...new Set(subjects)])}`}`,
        );
      continue;
    }
    if (budgetKind(subject, metric, value) !== undefined) continue;
    const k = kinds[0];
    const valid = Object.keys(METRICS[k]);
    const what = k === 'p2p' || k === 'cdn' || k === 'cost' ? `\`${subject}\`` : `${k} \`${subject}\``;
    issue(
      `\`${metric}\` is not a metric of ${what}${didYouMean(metric, valid)}; ${PLURAL[k]} have ${listOf(valid)}`,
    );
  }
}

function checkLoad(value: Rec, n: Names, ctx: Ctx): void {
  const load = recordOf(value.load);
  for (const key of Object.keys(recordOf(load.requests))) {
    if (n.journeys.includes(key)) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['load', 'requests', key],
      params: { atKey: true },
      message: `unknown journey \`${key}\` in load.requests${didYouMean(key, n.journeys) || `; journeys are ${listOf(n.journeys)}`}`,
    });
  }
  const target = load.target;
  if (typeof target === 'string' && !target.includes('${')) {
    let host: string | undefined;
    try {
      host = new URL(target).hostname.replace(/^\[|\]$/g, '');
    } catch {
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'target'],
        message: `bad target \`${target}\`: expected a URL like \`http://127.0.0.1:8080\``,
      });
      return;
    }
    const allow = Array.isArray(load.allow)
      ? load.allow.filter((a): a is string => typeof a === 'string')
      : [];
    const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
    if (!loopback && !allow.includes(host))
      ctx.addIssue({
        code: 'custom',
        path: ['load', 'target'],
        message: `target host \`${host}\` is not loopback and not in \`load.allow\`; add it there to allow traffic to it`,
      });
  }
}

function checkStreams(value: Rec, n: Names, ctx: Ctx): void {
  for (const [name, s] of Object.entries(recordOf(value.streams))) {
    const produce = recordOf(s).produce;
    if (typeof produce !== 'string') continue;
    const path: Path = ['streams', name, 'produce'];
    const [svc, route] = produce.split('.');
    if (route === undefined || produce.split('.').length !== 2 || svc === 'stores') {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `bad produce \`${produce}\`: expected a route like \`gateway.play\``,
      });
      continue;
    }
    const problem = targetProblem(produce, n, 'call');
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem.replace(/ in call/, ' in produce') });
  }
}

/** Sizes that would exhaust memory or never finish, refused with the numbers. */
function checkSizes(value: Rec, ctx: Ctx): void {
  for (const [name, def] of Object.entries(recordOf(value.services))) {
    const s = recordOf(def);
    const workers = num(s.workers);
    const replicas = Math.max(num(s.replicas) ?? 0, num(recordOf(s.autoscale).max) ?? 0);
    if (workers !== undefined && replicas > 0 && replicas * workers > MAX_CONCURRENCY)
      ctx.addIssue({
        code: 'custom',
        path: ['services', name, 'workers'],
        message: `\`${name}\` has ${big(replicas)} replicas × ${big(workers)} workers = ${big(replicas * workers)} concurrent requests; more than 1e7 would not fit in memory`,
      });
    const auto = recordOf(s.autoscale);
    const min = num(auto.min);
    const max = num(auto.max);
    const r = num(s.replicas);
    if (min !== undefined && max !== undefined) {
      if (min > max)
        ctx.addIssue({
          code: 'custom',
          path: ['services', name, 'autoscale', 'min'],
          message: `autoscale min (${min}) is above max (${max})`,
        });
      else if (r !== undefined && (r < min || r > max))
        ctx.addIssue({
          code: 'custom',
          path: ['services', name, 'replicas'],
          message: `replicas (${r}) must lie between autoscale min (${min}) and max (${max})`,
        });
    }
  }
  const users = recordOf(value.users);
  const arrivals = users.arrivals;
  const total = num(value.duration);
  if (isRecord(arrivals) && typeof arrivals.kind === 'string' && total !== undefined) {
    const rate = peakRate(arrivals as unknown as Parameters<typeof peakRate>[0]);
    if (rate !== undefined && rate * total > MAX_ARRIVALS)
      ctx.addIssue({
        code: 'custom',
        path: ['users', 'arrivals'],
        message: `${big(rate)}/s for ${formatDuration(total)} means about ${big(rate * total)} arrivals per replication; more than 1e11 would not finish — shorten \`duration\` or lower the rate`,
      });
  }
}

function checkReserved(n: Names, ctx: Ctx): void {
  for (const name of Object.keys(n.services)) {
    if (RESERVED.includes(name))
      ctx.addIssue({
        code: 'custom',
        path: ['services', name],
        params: { atKey: true },
        message: `service name \`${name}\` is reserved: \`${name}\` means something else in steps and calls`,
      });
  }
}

/** Every cross-section check; attach with `superRefine(checkReferences, { when: () => true })`. */
export function checkReferences(value: unknown, ctx: Ctx): void {
  if (!isRecord(value)) return;
  const { duration: total, warmup } = value;
  if (typeof total === 'number' && typeof warmup === 'number' && warmup >= total) {
    ctx.addIssue({
      code: 'custom',
      path: ['warmup'],
      message: `warmup (${formatDuration(warmup)}) must be shorter than duration (${formatDuration(total)})`,
    });
  }
  const declared = Object.keys(recordOf(value.regions));
  const n: Names = {
    services: recordOf(value.services),
    stores: Object.keys(recordOf(value.stores)),
    streams: Object.keys(recordOf(value.streams)),
    journeys: Object.keys(recordOf(recordOf(value.users).journeys)),
    regions: declared.length > 0 ? declared : [DEFAULT_REGION],
    declaredRegions: declared.length > 0,
    cdn: isRecord(value.cdn),
    p2p: isRecord(value.p2p),
  };
  checkReserved(n, ctx);
  checkSteps(value, n, ctx);
  checkCalls(n, ctx);
  checkCycles(n, ctx);
  checkRegions(value, n, ctx);
  checkFaults(value, n, ctx);
  checkBudgets(value, n, ctx);
  checkStreams(value, n, ctx);
  checkLoad(value, n, ctx);
  checkSizes(value, ctx);
}
