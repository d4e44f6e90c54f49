/**
 * Replica lifecycle over time: the initial replicas, and every autoscaled group's evaluation loop
 * (the decision rule is {@link Autoscaler}). A replica goes OFF → PROVISIONING (paid, not serving)
 * → UP → DRAINING (takes no new requests, finishes what it holds) → OFF. Scale-out reclaims draining
 * replicas first (still warm); scale-in cancels provisioning ones first, then drains the last slots.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { Placement } from './placement.js';
import { DRAINING, OFF, PROVISIONING, UP } from './replicas.js';
import type { ServiceMeter } from './service-meter.js';
import type { NamedService } from './topology-scenario.js';

/** Brings replicas up and down for one replication. */
export class Scaling {
  /** When each replica being provisioned will serve. */
  private readonly readyAt: Float64Array;
  /** Per group: busy area, capacity area and time at the last evaluation. */
  private readonly mark: Float64Array;
  private readonly hScale: number;
  private readonly hProvisioned: number;

  constructor(
    private readonly kernel: Kernel,
    private readonly place: Placement,
    private readonly meter: ServiceMeter,
    private readonly services: readonly NamedService[],
    private readonly duration: number,
  ) {
    this.readyAt = new Float64Array(place.pool.size);
    this.mark = new Float64Array(place.groups * 3);
    this.hScale = kernel.on((g) => this.evaluate(g));
    this.hProvisioned = kernel.on((r) => this.provisioned(r));
  }

  /** Brings each group's initial replicas up (clamped to the autoscaler's bounds) and starts evaluations. */
  begin(): void {
    const k = this.kernel;
    const pool = this.place.pool;
    const now = k.now;
    for (let g = 0; g < this.place.groups; g++) {
      const s = this.place.groupService[g];
      const o = this.services[s];
      const initial = o.autoscale
        ? Math.min(o.autoscale.max, Math.max(o.autoscale.min, o.replicas))
        : o.replicas;
      const slots = this.place.balancers[g].slots;
      for (let i = 0; i < initial; i++) {
        pool.state[slots[i]] = UP;
        this.meter.capDelta(slots[i], 1, now);
        this.meter.paid.add(s, 1, now);
      }
      const sc = this.place.scalers[g];
      if (sc) k.schedule(sc.opts.every, this.hScale, g);
      this.mark[3 * g] = this.meter.grpBusy.at(g, now);
      this.mark[3 * g + 1] = this.meter.grpCap.at(g, now);
      this.mark[3 * g + 2] = now;
    }
  }

  /** Replica `r` stops being paid (drained, or its draining process died). */
  turnOff(r: number): void {
    const pool = this.place.pool;
    pool.state[r] = OFF;
    this.meter.paid.add(pool.service[r], -1, this.kernel.now);
  }

  private evaluate(g: number): void {
    const sc = this.place.scalers[g]!;
    const k = this.kernel;
    const meter = this.meter;
    const now = k.now;
    if (now + sc.opts.every <= this.duration) k.schedule(sc.opts.every, this.hScale, g);
    const busy = meter.grpBusy.at(g, now);
    const cap = meter.grpCap.at(g, now);
    const dBusy = busy - this.mark[3 * g];
    const dCap = cap - this.mark[3 * g + 1];
    const dt = now - this.mark[3 * g + 2];
    this.mark[3 * g] = busy;
    this.mark[3 * g + 1] = cap;
    this.mark[3 * g + 2] = now;
    const util = dCap > 0 ? dBusy / dCap : 0;
    // The HPA rule scales the replicas whose load was measured: those serving through the window,
    // here their time average (worker-seconds of capacity ÷ window ÷ workers). A replica that
    // became ready at this very instant served none of the window; counting it as if its capacity
    // had carried the measured utilization doubled every scale-out when provision is a multiple
    // of `every` (a load needing 8 replicas peaked at 12).
    const workers = this.services[this.place.groupService[g]].workers;
    const measured = dt > 0 && workers > 0 ? dCap / (dt * workers) : 0;
    const pool = this.place.pool;
    const slots = this.place.balancers[g].slots;
    let serving = 0;
    let provisioning = 0;
    for (let i = 0; i < slots.length; i++) {
      const st = pool.state[slots[i]];
      if (st === UP) serving++;
      else if (st === PROVISIONING) provisioning++;
    }
    const current = serving + provisioning;
    const want = sc.decide(measured, util, current, now);
    const s = this.place.groupService[g];
    if (want > current) {
      let need = want - current;
      for (let i = 0; i < slots.length && need > 0; i++) {
        const r = slots[i];
        if (pool.state[r] === DRAINING) {
          // A draining replica is still warm: take it back at once.
          pool.state[r] = UP;
          if (pool.down[r] === 0) meter.capDelta(r, 1, now);
          need--;
        } else if (pool.state[r] === OFF) {
          pool.state[r] = PROVISIONING;
          meter.paid.add(s, 1, now);
          this.readyAt[r] = now + sc.opts.provision;
          k.schedule(sc.opts.provision, this.hProvisioned, r);
          need--;
        }
      }
      meter.noteReplicas(s, now);
    } else if (want < current) {
      let extra = current - want;
      for (let i = slots.length - 1; i >= 0 && extra > 0; i--) {
        const r = slots[i];
        if (pool.state[r] === PROVISIONING) {
          pool.state[r] = OFF;
          meter.paid.add(s, -1, now);
          extra--;
        }
      }
      for (let i = slots.length - 1; i >= 0 && extra > 0; i--) {
        const r = slots[i];
        if (pool.state[r] !== UP) continue;
        pool.state[r] = DRAINING;
        if (pool.down[r] === 0) meter.capDelta(r, -1, now);
        if (pool.busy[r] === 0 && pool.qlen[r] === 0) this.turnOff(r);
        extra--;
      }
      meter.noteReplicas(s, now);
    }
  }

  private provisioned(r: number): void {
    const pool = this.place.pool;
    // Cancelled by a scale-in meanwhile, or cancelled and requested again (a later timer is due).
    if (pool.state[r] !== PROVISIONING || this.kernel.now < this.readyAt[r]) return;
    pool.state[r] = UP;
    const now = this.kernel.now;
    if (pool.down[r] === 0) this.meter.capDelta(r, 1, now);
    this.meter.noteReplicas(pool.service[r], now);
  }
}
