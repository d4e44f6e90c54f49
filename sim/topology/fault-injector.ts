/**
 * Faults on the timeline, applied to the service side of the topology (stores, streams and CDN edges
 * schedule their own, in `content.ts`): a crash takes `count` routable replicas of a service down, an
 * outage every replica of a region; `slow` adds latency and `errors` an error rate to a service;
 * `partition` cuts two regions apart. Each fault is undone at `at + for`; overlapping faults add up.
 *
 * A replica going down fails what it holds and queues at once (its process died): those requests
 * answer `crash` to their callers, whose retries and failover then take over.
 */
import type { Fault } from '../../scenarios/schema.js';
import type { Kernel } from '../kernel/kernel.js';
import { CRASH } from './causes.js';
import type { EngineContext } from './engine-context.js';
import { ATTEMPT, type Frames, ZOMBIE } from './frames.js';
import type { Network } from './network.js';
import { DRAINING, type ReplicaPool, UP } from './replicas.js';
import type { ServiceMeter } from './service-meter.js';

/** Applies one replication's service faults. */
export class FaultInjector {
  /** Replicas each crash fault took down, to bring the same ones back. */
  private readonly crashed: number[][] = [];
  private readonly kernel: Kernel;
  private readonly faults: readonly Fault[];
  private readonly serviceNames: readonly string[];
  private readonly frames: Frames;
  private readonly pool: ReplicaPool;
  private readonly meter: ServiceMeter;
  private readonly network: Network;
  private readonly hStart: number;
  private readonly hEnd: number;

  /** @param ctx the engine context: faults set its `slow` and `errRate`, crash its attempts. */
  constructor(private readonly ctx: EngineContext) {
    this.kernel = ctx.kernel;
    this.faults = ctx.scenario.faults;
    this.serviceNames = ctx.services.map((s) => s.name);
    this.frames = ctx.frames;
    this.pool = ctx.pool;
    this.meter = ctx.meter;
    this.network = ctx.network;
    this.hStart = ctx.kernel.on((i) => this.apply(i, 1));
    this.hEnd = ctx.kernel.on((i) => this.apply(i, -1));
  }

  /** Schedules every fault's start and end. */
  begin(): void {
    this.faults.forEach((f, i) => {
      this.kernel.at(f.at, this.hStart, i);
      if (Number.isFinite(f.for)) this.kernel.at(f.at + f.for, this.hEnd, i);
    });
  }

  private apply(i: number, sign: number): void {
    const fo = this.faults[i];
    switch (fo.kind) {
      case 'crash': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s < 0) return; // stores/streams belong to the content models
        if (sign > 0) {
          const taken: number[] = [];
          const pool = this.pool;
          for (let r = 0; r < pool.size && taken.length < fo.count; r++) {
            if (pool.service[r] === s && pool.routable(r)) taken.push(r);
          }
          this.crashed[i] = taken;
          for (const r of taken) this.setDown(r, 1);
        } else for (const r of this.crashed[i] ?? []) this.setDown(r, -1);
        return;
      }
      case 'outage': {
        const ri = this.network.regions.indexOf(fo.region);
        if (ri < 0) return;
        for (let r = 0; r < this.pool.size; r++) if (this.pool.region[r] === ri) this.setDown(r, sign);
        return;
      }
      case 'slow': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s >= 0) this.ctx.slow[s] = Math.max(0, this.ctx.slow[s] + sign * fo.add);
        return;
      }
      case 'errors': {
        const s = this.serviceNames.indexOf(fo.target);
        if (s >= 0) this.ctx.errRate[s] = Math.max(0, this.ctx.errRate[s] + sign * fo.rate);
        return;
      }
      case 'partition': {
        const a = this.network.regions.indexOf(fo.a);
        const b = this.network.regions.indexOf(fo.b);
        if (a >= 0 && b >= 0) this.network.partition(a, b, sign);
      }
    }
  }

  /** A fault takes replica `r` down (+1) or releases it (-1). Going down fails what it holds. */
  private setDown(r: number, delta: number): void {
    const pool = this.pool;
    const meter = this.meter;
    const was = pool.down[r];
    pool.down[r] = was + delta;
    const s = pool.service[r];
    if (was === 0 && delta > 0) {
      if (pool.state[r] === UP) meter.capDelta(r, -1, this.kernel.now);
      if (pool.state[r] === UP || pool.state[r] === DRAINING) this.failInFlight(r);
      meter.noteReplicas(s, this.kernel.now);
    } else if (was > 0 && pool.down[r] === 0 && pool.state[r] === UP) {
      meter.capDelta(r, 1, this.kernel.now);
      meter.noteReplicas(s, this.kernel.now);
    }
  }

  /** Fails every request replica `r` holds or queues (its process died). */
  private failInFlight(r: number): void {
    const pool = this.pool;
    const f = this.frames;
    const s = pool.service[r];
    const now = this.kernel.now;
    const victims: number[] = [];
    while (pool.qlen[r] > 0) {
      const id = pool.shift(r);
      this.meter.queue.add(s, -1, now);
      if (f.state[id] === ZOMBIE) f.release(id);
      else victims.push(id);
    }
    for (let id = 0; id < f.highWater; id++) {
      if (f.kind[id] === ATTEMPT && f.slot[id] === r && f.holds[id] === 1) {
        f.holds[id] = 0;
        if (f.evt[id] >= 0) this.kernel.cancel(f.evt[id]);
        f.evt[id] = -1;
        victims.push(id);
      }
    }
    if (pool.busy[r] > 0) this.meter.busyDelta(r, -pool.busy[r], now);
    for (const id of victims) this.ctx.attempts.finish(id, CRASH);
    if (pool.state[r] === DRAINING) this.ctx.scaling.turnOff(r);
  }
}
