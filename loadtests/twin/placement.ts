/**
 * Which replica a twin call goes to, decided by the caller as the simulator decides it: each
 * service has a group of replica slots per region it runs in (`replicas`, or `autoscale.max` slots
 * when it scales), balanced by the simulator's own {@link Balancer}; a call goes to a routable
 * replica in the caller's region, else to the nearest region (by one-way latency) that has one and
 * is not partitioned from the caller.
 */
import type { RandomStreams } from '../../sim/kernel/random.js';
import { Balancer, type ReplicaLoads } from '../../sim/resilience/balancer.js';
import { Registry } from '../../sim/resilience/discovery.js';
import type { Network } from '../../sim/topology/network.js';
import type { LoadService } from '../shape.js';
import { TwinReplica } from './replicas.js';

/** One service × region. */
export interface TwinGroup {
  service: number;
  region: number;
  /** Replica ids, slot order. */
  slots: number[];
  balancer: Balancer;
}

/** Every replica of every service, grouped by region. */
export class TwinPlacement {
  readonly replicas: TwinReplica[] = [];
  readonly groups: TwinGroup[] = [];
  /** Per service: its discovery registry (callers pick from its copy), when it has `discovery`. */
  readonly registries: (Registry | undefined)[];
  private readonly groupOf = new Map<number, number>();
  private readonly failover = new Map<number, number[]>();

  constructor(
    services: readonly (LoadService & { name: string })[],
    regions: readonly string[],
    private readonly network: Network,
    streams: RandomStreams,
    clock: () => number,
  ) {
    const R = regions.length;
    const pool: ReplicaLoads = {
      routable: (r: number) => this.replicas[r].routable(),
      load: (r: number) => this.replicas[r].load(),
    };
    this.registries = services.map((s, si) => {
      const where = s.regions?.length ? s.regions.map((n) => regions.indexOf(n)) : regions.map((_, i) => i);
      const queue = s.shed === false ? Number.POSITIVE_INFINITY : s.queue;
      const perRegion = where.map((ri) =>
        Array.from({ length: Math.max(s.replicas, s.autoscale?.max ?? 0) }, () => {
          this.replicas.push(new TwinReplica(si, ri, s.workers, queue, clock));
          return this.replicas.length - 1;
        }),
      );
      // The simulation's stream name (not `twin:`): the same phases as its first replication.
      const registry = s.discovery
        ? new Registry(
            s.discovery,
            perRegion.flat(),
            (r) => this.replicas[r].routable(),
            streams.stream(`discovery:${s.name}`),
          )
        : undefined;
      where.forEach((ri, i) => {
        const balancer = new Balancer(
          s.balance ?? 'round-robin',
          registry?.view(pool) ?? pool,
          perRegion[i],
          streams.stream(`twin:balance:${s.name}:${regions[ri]}`),
        );
        this.groupOf.set(si * R + ri, this.groups.length);
        this.groups.push({ service: si, region: ri, slots: perRegion[i], balancer });
      });
      return registry;
    });
    for (let si = 0; si < services.length; si++) {
      for (let ri = 0; ri < R; ri++) {
        const others = this.groups
          .map((g, gi) => ({ g, gi }))
          .filter(({ g }) => g.service === si && g.region !== ri)
          .sort(
            (a, b) => network.base[ri * R + a.g.region] - network.base[ri * R + b.g.region] || a.gi - b.gi,
          )
          .map(({ gi }) => gi);
        this.failover.set(si * R + ri, others);
      }
    }
  }

  /** A routable replica of service `s` for a caller in region `from`: local first, then nearest; -1 if none. */
  choose(s: number, from: number, user: number): number {
    const key = s * this.network.regions.length + from;
    const g = this.groupOf.get(key);
    if (g !== undefined) {
      const r = this.groups[g].balancer.pick(user);
      if (r >= 0) return r;
    }
    for (const g2 of this.failover.get(key) ?? []) {
      if (!this.network.reachable(from, this.groups[g2].region)) continue;
      const r = this.groups[g2].balancer.pick(user);
      if (r >= 0) return r;
    }
    return -1;
  }

  /** Replica ids of service `s`, every region. */
  of(s: number): TwinReplica[] {
    return this.replicas.filter((r) => r.service === s);
  }
}
