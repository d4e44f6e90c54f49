/**
 * Service discovery: callers do not see replicas die, they see a registry's list of them, and they
 * see it late. The registry health-checks every replica of a service every `interval` (one failed
 * check deregisters it, one passed check registers it); callers keep a copy of the list and fetch
 * it again every `ttl` (a DNS TTL, a client-side registry cache). So a replica that dies at `t` stays
 * in the callers' copy until the first check after `t` *and* the first refresh after that check:
 * at most `interval + ttl` later, `interval/2 + ttl/2` on average when the death falls at a random
 * moment of both cycles (the two phases are independent uniform draws). Calls sent to it meanwhile
 * are refused (`stale_endpoint`). A new or recovered replica takes calls only once it is registered
 * and in the copy.
 *
 * One registry per service and one copy shared by all its callers (a node-local resolver or a
 * sidecar, not one cache per caller). Registered replicas start listed: the system is in steady
 * state at time 0. The check and refresh instants are `phase + k·period`, with both phases drawn
 * from the service's own stream, so the simulation (kernel events) and the twin (wall-clock timers)
 * that draw from the same seed check and refresh at the same instants.
 */
import type { Service } from '../../scenarios/service.js';
import type { Rng } from '../kernel/random.js';
import type { ReplicaLoads } from './balancer.js';

/** The `discovery` section of a service. */
export type DiscoverySpec = NonNullable<Service['discovery']>;

/** A run of calls sent to listed replicas that were gone: first and last (seconds), how many. */
export interface StaleBurst {
  from: number;
  to: number;
  errors: number;
}

/** The registry of one service and the callers' copy of it. */
export class Registry {
  /** Bursts of `stale_endpoint` errors, in time order. */
  readonly bursts: StaleBurst[] = [];
  /** First health check (seconds); the k-th is at `checkPhase + k·interval`. */
  readonly checkPhase: number;
  /** First refresh of the callers' copy; the k-th is at `refreshPhase + k·ttl` (none when ttl is 0). */
  readonly refreshPhase: number;
  private readonly registered: Uint8Array;
  private readonly inCopy: Uint8Array;
  private open: StaleBurst | undefined;

  /**
   * @param replicas ids of every replica slot of the service (all regions).
   * @param up whether a replica answers its health check (up, not held down by a fault).
   * @param rng the service's discovery stream: draws the two phases, nothing else.
   */
  constructor(
    readonly spec: DiscoverySpec,
    private readonly replicas: readonly number[],
    private readonly up: (r: number) => boolean,
    rng: Rng,
  ) {
    this.checkPhase = rng() * spec.interval;
    this.refreshPhase = rng() * spec.ttl;
    const size = replicas.reduce((m, r) => Math.max(m, r + 1), 0);
    this.registered = new Uint8Array(size);
    this.inCopy = new Uint8Array(size);
  }

  /** Registers and lists every replica that is up now (the start of a run). */
  begin(): void {
    for (const r of this.replicas) this.registered[r] = this.inCopy[r] = this.up(r) ? 1 : 0;
  }

  /** A health-check round: registers the replicas that answer, drops those that do not. */
  check(now: number): void {
    for (const r of this.replicas) this.registered[r] = this.up(r) ? 1 : 0;
    if (this.spec.ttl === 0) this.refresh(now);
  }

  /** Callers fetch the registry again; a burst ends once no listed replica is down. */
  refresh(_now: number): void {
    let stale = false;
    for (const r of this.replicas) {
      this.inCopy[r] = this.registered[r];
      if (this.inCopy[r] === 1 && !this.up(r)) stale = true;
    }
    if (!stale) this.open = undefined;
  }

  /** Whether callers' copy lists replica `r`. */
  listed(r: number): boolean {
    return this.inCopy[r] === 1;
  }

  /** A caller picked listed replica that is gone (its call will be refused): counted at the pick. */
  noteStale(now: number): void {
    if (this.open) {
      this.open.to = now;
      this.open.errors++;
      return;
    }
    this.open = { from: now, to: now, errors: 1 };
    this.bursts.push(this.open);
  }

  /** `pool` as callers see it: listed replicas are the routable ones, dead or not. */
  view(pool: ReplicaLoads): ReplicaLoads {
    return { routable: (r) => this.inCopy[r] === 1, load: (r) => pool.load(r) };
  }
}

/**
 * When callers stop sending to a replica that goes down at `t` and stays down: the first refresh
 * after the first check after `t` (the end of the stale window the bursts measure).
 */
export function unlistedAt(reg: Pick<Registry, 'spec' | 'checkPhase' | 'refreshPhase'>, t: number): number {
  const { interval, ttl } = reg.spec;
  const check = nextTick(reg.checkPhase, interval, t);
  return ttl === 0 ? check : nextTick(reg.refreshPhase, ttl, check);
}

/** The first `phase + k·period` (k ≥ 0) strictly after `t`. */
export function nextTick(phase: number, period: number, t: number): number {
  if (t < phase) return phase;
  return phase + (Math.floor((t - phase) / period) + 1) * period;
}
