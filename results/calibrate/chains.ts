/**
 * What one request of a journey measures end to end, as the twin (and the simulation) serves it:
 * each step's service does its own work, then its route's calls in order (a parallel group lasts as
 * long as its slowest branch, a call with `p < 1` happens with that probability), plus the network's
 * one-way `intra` latency each way of every hop. Sampling a chain with every service time drawn
 * once per visit and scaled by a factor per service gives the journey's latency under those
 * factors; the draws are made once (common random numbers), so the latency is a smooth, cheap
 * function of the factors.
 */
import type { DistSpec } from '../../math/dist-spec.js';
import { distQuantile } from '../../math/moments.js';
import type { Call, Scenario } from '../../scenarios/schema.js';

/** The scenario fields a chain is read from. */
export type ChainScope = Pick<Scenario, 'users' | 'services' | 'latency' | 'regions'>;

/** A part of a journey's request: a service visit (own work, then calls), a parallel group or a maybe. */
export type ChainNode =
  | { kind: 'visit'; service: string; calls: ChainNode[] }
  | { kind: 'parallel'; branches: ChainNode[] }
  | { kind: 'maybe'; p: number; node: ChainNode };

/** A journey's chain, or why it cannot be modelled from service times alone. */
export type Chain = { nodes: ChainNode[]; services: string[]; hop: number } | { reason: string };

/** The chain of journey `name` (its steps, routes expanded). */
export function journeyChain(s: ChainScope, name: string): Chain {
  if (Object.keys(s.regions).length > 1)
    return { reason: 'more than one region: the latency between regions depends on placement' };
  const journey = s.users.journeys[name];
  const services = new Set<string>();
  let outside: string | undefined;
  const visit = (target: string): ChainNode | undefined => {
    const dot = target.indexOf('.');
    const head = dot < 0 ? target : target.slice(0, dot);
    if (!Object.hasOwn(s.services, head)) {
      outside ??= target;
      return undefined;
    }
    services.add(head);
    const route = dot < 0 ? undefined : target.slice(dot + 1);
    const svc = s.services[head];
    const calls = route !== undefined && Object.hasOwn(svc.routes, route) ? svc.routes[route] : [];
    return { kind: 'visit', service: head, calls: calls.map(node).filter((n) => n !== undefined) };
  };
  const node = (c: Call): ChainNode | undefined => {
    if ('parallel' in c)
      return { kind: 'parallel', branches: c.parallel.map(node).filter((n) => n !== undefined) };
    const n = visit(c.call);
    return n && c.p < 1 ? { kind: 'maybe', p: c.p, node: n } : n;
  };
  const nodes = journey.steps.map(visit).filter((n) => n !== undefined);
  if (outside !== undefined)
    return {
      reason: `reaches ${outside}, whose time is not a service time (CDN, P2P, stores are not calibrated)`,
    };
  return { nodes, services: [...services], hop: 2 * s.latency.intra };
}

/** Seeded uniform numbers in (0, 1) (mulberry32): calibration is reproducible. */
export function uniforms(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}

/**
 * `n` sampled requests of a chain: every visit's service time drawn from `times` (inverse CDF) and
 * every maybe's coin tossed once, so {@link ChainSamples.latencies} only scales them.
 */
export class ChainSamples {
  /** Per sample, per node in tree order: the drawn time (seconds), or −1 for a maybe not taken. */
  private readonly draws: Float64Array;
  /** The tree flattened in pre-order: each node's kind, service (visits) and children's indexes. */
  private readonly nodes: ChainNode[] = [];
  private readonly children: number[][] = [];
  private readonly roots: number[];

  constructor(
    private readonly chain: { nodes: ChainNode[]; hop: number },
    readonly n: number,
    times: (service: string) => DistSpec,
    seed: number,
  ) {
    const flatten = (x: ChainNode): number => {
      const k = this.nodes.length;
      this.nodes.push(x);
      this.children.push([]);
      const kids = x.kind === 'visit' ? x.calls : x.kind === 'parallel' ? x.branches : [x.node];
      this.children[k] = kids.map(flatten);
      return k;
    };
    this.roots = chain.nodes.map(flatten);
    const m = this.nodes.length;
    const specs = this.nodes.map((x) => (x.kind === 'visit' ? times(x.service) : undefined));
    const u = uniforms(seed);
    this.draws = new Float64Array(n * m);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < m; k++) {
        const x = this.nodes[k];
        const spec = specs[k];
        this.draws[i * m + k] = spec
          ? Math.max(0, distQuantile(spec, u()))
          : x.kind === 'maybe' && u() >= x.p
            ? -1
            : 0;
      }
  }

  /** The chain's latency of every sample (seconds, sorted) with service times scaled by `factor`. */
  latencies(factor: (service: string) => number): Float64Array {
    const m = this.nodes.length;
    const f = this.nodes.map((x) => (x.kind === 'visit' ? factor(x.service) : 1));
    const out = new Float64Array(this.n);
    const { hop } = this.chain;
    let base = 0;
    const at = (k: number): number => {
      const x = this.nodes[k];
      const kids = this.children[k];
      if (x.kind === 'visit') {
        let t = hop + this.draws[base + k] * f[k];
        for (const c of kids) t += at(c);
        return t;
      }
      if (x.kind === 'parallel') {
        let most = 0;
        for (const c of kids) most = Math.max(most, at(c));
        return most;
      }
      return this.draws[base + k] < 0 ? 0 : at(kids[0]);
    };
    for (let i = 0; i < this.n; i++) {
      base = i * m;
      let t = 0;
      for (const r of this.roots) t += at(r);
      out[i] = t;
    }
    return out.sort();
  }
}
