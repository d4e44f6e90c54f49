/**
 * What of a scenario the twin does not serve, and which journeys that touches: those journeys'
 * measurements cannot be set beside the simulation's (`--predict` marks them not comparable).
 */
import type { Scenario } from '../../scenarios/schema.js';
import type { LoadCall } from '../shape.js';

/** One part of the scenario the twin does not serve. */
export interface UnservedPart {
  /** What it is, e.g. `p2p`, `streams.plays`. */
  part: string;
  /** Why, in a few words. */
  reason: string;
  /** Journeys whose latency or errors depend on it. */
  journeys: string[];
}

/** The sections that say what the twin serves. */
export type UnservedScope = Pick<Scenario, 'users' | 'services' | 'cdn' | 'p2p' | 'streams' | 'faults'>;

/** The steps a journey reaches, through every route it calls (each target once). */
export function reachedTargets(s: UnservedScope, steps: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (target: string) => {
    if (seen.has(target)) return;
    seen.add(target);
    const [svc, route] = target.split('.', 2);
    const calls = s.services[svc]?.routes?.[route ?? ''];
    if (calls) walk(calls);
  };
  const walk = (calls: readonly LoadCall[]) => {
    for (const c of calls) {
      if ('parallel' in c) walk(c.parallel);
      else visit(c.call);
    }
  };
  for (const step of steps) visit(step);
  return seen;
}

/** Every part of `s` the twin does not serve, with the journeys it touches. */
export function unservedParts(s: UnservedScope): UnservedPart[] {
  const reach = Object.entries(s.users.journeys).map(
    ([name, j]) => [name, reachedTargets(s, j.steps)] as const,
  );
  const touching = (pred: (target: string) => boolean) =>
    reach.filter(([, targets]) => [...targets].some(pred)).map(([name]) => name);
  const parts: UnservedPart[] = [];
  if (s.p2p !== undefined)
    parts.push({
      part: 'p2p',
      reason: 'the P2P client (peers, tracker, overlay) is simulated only; `stream` steps go to the CDN',
      journeys: touching((t) => t === 'stream'),
    });
  const cdn = cdnDifferences(s);
  if (cdn.length > 0)
    parts.push({
      part: 'cdn',
      reason: cdn.join('; '),
      journeys: touching((t) => t === 'cdn' || (t === 'stream' && s.p2p === undefined)),
    });
  for (const name of Object.keys(s.streams ?? {}))
    parts.push({
      part: `streams.${name}`,
      reason: 'producing and consuming (consumer lag) are simulated only; producers do not wait on them',
      journeys: [],
    });
  return parts;
}

/**
 * Where the twin's CDN (`cdn.ts`: one in-memory LRU at the first edge, always up) differs from the
 * scenario's: more edges, a shield, another eviction policy, or an outage that takes an edge down
 * (the simulation then fails its requests over to another edge or the origin).
 */
function cdnDifferences(s: UnservedScope): string[] {
  if (!s.cdn) return [];
  const edges = Object.entries(s.cdn.edges);
  if (edges.length === 0) return [];
  const [first, edge] = edges[0];
  const out: string[] = [];
  if (edges.length > 1) out.push(`one LRU edge (${first}) serves every region`);
  if (s.cdn.origin.shield) out.push('the origin shield is not modelled');
  if (edge.policy !== 'lru') out.push(`the edge's \`${edge.policy}\` policy is served as LRU`);
  const down = [...new Set(s.faults.flatMap((f) => (f.kind === 'outage' ? [f.region] : [])))].filter((r) =>
    Object.hasOwn(s.cdn?.edges ?? {}, r),
  );
  if (down.length > 0)
    out.push(
      `an outage of ${down.join(', ')} does not take the twin's edge down (no failover to the origin)`,
    );
  return out;
}

/** One line per part, for `--twin` to print. */
export function describeUnserved(parts: readonly UnservedPart[]): string {
  return parts
    .map(
      (p) =>
        `  not served: ${p.part} — ${p.reason}${p.journeys.length ? ` (journeys ${p.journeys.join(', ')} not comparable)` : ''}\n`,
    )
    .join('');
}
