/**
 * The names a scenario declares (services and their routes, stores, streams, journeys, regions)
 * and whether a name used in a step, call, fault or produce resolves to one of them, with a
 * did-you-mean hint when it does not.
 */

import { isRecord, type Path, type Rec, recordOf } from './raw-values.js';
import { DEFAULT_REGION } from './regions.js';
import { didYouMean, listOf } from './suggest.js';

/** What the checks need to know about the scenario's names. */
export interface Names {
  services: Rec;
  stores: string[];
  streams: string[];
  journeys: string[];
  regions: string[];
  declaredRegions: boolean;
  cdn: boolean;
  p2p: boolean;
}

/** The names `value` declares; with no `regions` section, the one default region. */
export function namesOf(value: Rec): Names {
  const declared = Object.keys(recordOf(value.regions));
  return {
    services: recordOf(value.services),
    stores: Object.keys(recordOf(value.stores)),
    streams: Object.keys(recordOf(value.streams)),
    journeys: Object.keys(recordOf(recordOf(value.users).journeys)),
    regions: declared.length > 0 ? declared : [DEFAULT_REGION],
    declaredRegions: declared.length > 0,
    cdn: isRecord(value.cdn),
    p2p: isRecord(value.p2p),
  };
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
export function targetProblem(t: string, n: Names, where: 'step' | 'call'): string | undefined {
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
export function* callsOf(calls: unknown, path: Path): Generator<[string, Path]> {
  if (!Array.isArray(calls)) return;
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    const t = callTarget(c);
    if (t !== undefined) yield [t, typeof c === 'string' ? [...path, i] : [...path, i, 'call']];
    else if (isRecord(c)) yield* callsOf(c.parallel, [...path, i, 'parallel']);
  }
}

/** A message for a region name that is not declared, or undefined when it is (or is not a name). */
export function regionProblem(r: unknown, n: Names): string | undefined {
  if (typeof r !== 'string' || n.regions.includes(r)) return undefined;
  if (!n.declaredRegions) return `unknown region \`${r}\`: the scenario declares no \`regions\``;
  return `unknown region \`${r}\`${didYouMean(r, n.regions) || `; regions are ${listOf(n.regions)}`}`;
}
