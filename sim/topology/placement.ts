/**
 * Where replicas live and which one a call goes to. Each service has a *group* of replica slots per
 * region it runs in (as many slots as it may ever have: `replicas`, or `autoscale.max`), with its
 * own balancer and, when autoscaled, its own autoscaler. A call goes to a routable replica of the
 * callee in the caller's region when there is one; otherwise to the nearest region (by one-way
 * latency) that has one and is not partitioned from the caller.
 */
import type { RandomStreams } from '../kernel/random.js';
import { Autoscaler } from '../resilience/autoscaler.js';
import { Balancer } from '../resilience/balancer.js';
import { Registry } from '../resilience/discovery.js';
import type { Network } from './network.js';
import { ReplicaPool } from './replicas.js';
import type { NamedService } from './topology-scenario.js';

/** Replica groups (service × region), their balancers and failover order. */
export class Placement {
  readonly pool: ReplicaPool;
  readonly balancers: Balancer[];
  /** Region and service of each group. */
  readonly groupRegion: Int32Array;
  readonly groupService: Int32Array;
  /** The autoscaler of each group, when its service scales. */
  readonly scalers: (Autoscaler | undefined)[];
  /** Per service: its registry, when callers find it through discovery (they pick from its copy). */
  readonly registries: (Registry | undefined)[];
  private readonly nRegions: number;
  /** [service × nRegions + region] → group, or -1 when the service does not run there. */
  private readonly groupOf: Int32Array;
  /** [service × nRegions + region] → the service's other groups, nearest first. */
  private readonly failover: Int32Array[] = [];

  constructor(
    services: readonly NamedService[],
    regionNames: readonly string[],
    private readonly network: Network,
    streams: RandomStreams,
  ) {
    const S = services.length;
    const R = regionNames.length;
    this.nRegions = R;
    this.groupOf = new Int32Array(S * R).fill(-1);
    const defs: { service: number; region: number; group: number; workers: number; queue: number }[] = [];
    const groupSlots: number[][] = [];
    const groupRegion: number[] = [];
    const groupService: number[] = [];
    const scalers: (Autoscaler | undefined)[] = [];
    services.forEach((s, si) => {
      const where =
        s.regions && s.regions.length > 0
          ? s.regions.map((n) => regionNames.indexOf(n))
          : regionNames.map((_, i) => i);
      const slots = Math.max(s.replicas, s.autoscale?.max ?? 0);
      for (const ri of where) {
        if (ri < 0) throw new Error(`service ${s.name}: unknown region`);
        const g = groupSlots.length;
        this.groupOf[si * R + ri] = g;
        groupRegion.push(ri);
        groupService.push(si);
        scalers.push(s.autoscale ? new Autoscaler(s.autoscale) : undefined);
        const ids: number[] = [];
        for (let k = 0; k < slots; k++) {
          ids.push(defs.length);
          const queue = s.shed === false ? Number.POSITIVE_INFINITY : s.queue;
          defs.push({ service: si, region: ri, group: g, workers: s.workers, queue });
        }
        groupSlots.push(ids);
      }
    });
    this.pool = new ReplicaPool(defs);
    this.groupRegion = Int32Array.from(groupRegion);
    this.groupService = Int32Array.from(groupService);
    this.scalers = scalers;
    const pool = this.pool;
    this.registries = services.map((s, si) => {
      if (!s.discovery) return undefined;
      const ids = groupSlots.filter((_, g) => groupService[g] === si).flat();
      return new Registry(s.discovery, ids, (r) => pool.routable(r), streams.stream(`discovery:${s.name}`));
    });
    this.balancers = groupSlots.map(
      (ids, g) =>
        new Balancer(
          services[groupService[g]].balance,
          this.registries[groupService[g]]?.view(pool) ?? pool,
          ids,
          streams.stream(`balance:${services[groupService[g]].name}:${regionNames[groupRegion[g]]}`),
        ),
    );
    for (let si = 0; si < S; si++) {
      for (let ri = 0; ri < R; ri++) {
        const others: number[] = [];
        for (let rj = 0; rj < R; rj++)
          if (rj !== ri && this.groupOf[si * R + rj] >= 0) others.push(this.groupOf[si * R + rj]);
        others.sort(
          (a, b) => network.base[ri * R + groupRegion[a]] - network.base[ri * R + groupRegion[b]] || a - b,
        );
        this.failover.push(Int32Array.from(others));
      }
    }
  }

  /** Number of groups. */
  get groups(): number {
    return this.balancers.length;
  }

  /** Groups service `s` runs in (one per region). */
  groupsOf(s: number): number {
    let n = 0;
    for (let g = 0; g < this.groupService.length; g++) if (this.groupService[g] === s) n++;
    return n;
  }

  /** A routable replica of service `s` for a caller in region `from`: local first, then nearest; -1 if none. */
  choose(s: number, from: number, user: number): number {
    const idx = s * this.nRegions + from;
    const g = this.groupOf[idx];
    if (g >= 0) {
      const r = this.balancers[g].pick(user);
      if (r >= 0) return r;
    }
    const others = this.failover[idx];
    for (let i = 0; i < others.length; i++) {
      const g2 = others[i];
      if (!this.network.reachable(from, this.groupRegion[g2])) continue;
      const r = this.balancers[g2].pick(user);
      if (r >= 0) return r;
    }
    return -1;
  }
}
