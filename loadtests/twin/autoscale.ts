/**
 * The twin's autoscaling loop, on the wall clock: every `every` seconds each autoscaled group
 * (service × region) measures the utilization of its serving replicas over the last interval and
 * asks the simulator's own {@link Autoscaler} how many it should have. New replicas serve only
 * after `provision` seconds; scale-in takes back provisioning slots first, then drains the last
 * serving ones (they finish what they hold, then go off) — the lifecycle of `sim/topology/scaling.ts`.
 */
import { Autoscaler } from '../../sim/resilience/autoscaler.js';
import type { LoadService } from '../shape.js';
import type { TwinPlacement } from './placement.js';
import { DRAINING, OFF, PROVISIONING, type TwinReplica, UP } from './replicas.js';

/** Scales the groups of autoscaled services; `onChange` hears of every change of serving replicas. */
export class TwinScaling {
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly services: readonly LoadService[],
    private readonly placement: TwinPlacement,
    private readonly now: () => number,
    private readonly onChange: (service: number) => void,
  ) {}

  /** Brings each group's initial replicas up and starts the evaluation loops. */
  begin(): void {
    for (const g of this.placement.groups) {
      const o = this.services[g.service];
      const initial = o.autoscale
        ? Math.min(o.autoscale.max, Math.max(o.autoscale.min, o.replicas))
        : o.replicas;
      for (let i = 0; i < initial; i++) this.placement.replicas[g.slots[i]].setState(UP);
      const scale = o.autoscale;
      if (!scale) continue;
      const scaler = new Autoscaler(scale);
      const reps = g.slots.map((r) => this.placement.replicas[r]);
      let mark = { busy: 0, cap: 0 };
      const every = setInterval(() => {
        if (this.stopped) return;
        const areas = reps.map((r) => r.areas());
        const busy = areas.reduce((a, x) => a + x.busy, 0);
        const cap = areas.reduce((a, x) => a + x.cap, 0);
        const util = cap - mark.cap > 0 ? (busy - mark.busy) / (cap - mark.cap) : 0;
        mark = { busy, cap };
        this.evaluate(g.service, reps, scaler, util, scale.provision);
      }, scale.every * 1000);
      this.timers.push(every);
    }
  }

  private evaluate(
    s: number,
    reps: TwinReplica[],
    scaler: Autoscaler,
    util: number,
    provision: number,
  ): void {
    for (const r of reps) if (r.state === DRAINING && r.load() === 0) r.setState(OFF);
    const serving = reps.filter((r) => r.state === UP).length;
    const current = serving + reps.filter((r) => r.state === PROVISIONING).length;
    const want = scaler.decide(serving, util, current, this.now());
    if (want > current) {
      let need = want - current;
      for (const r of reps) {
        if (need === 0) break;
        if (r.state === DRAINING) {
          r.setState(UP); // still warm: back at once
          need--;
        } else if (r.state === OFF) {
          r.setState(PROVISIONING);
          need--;
          const ready = setTimeout(() => {
            if (this.stopped || r.state !== PROVISIONING) return;
            r.setState(UP);
            this.onChange(s);
          }, provision * 1000);
          this.timers.push(ready);
        }
      }
    } else if (want < current) {
      let extra = current - want;
      for (let i = reps.length - 1; i >= 0 && extra > 0; i--) {
        if (reps[i].state !== PROVISIONING) continue;
        reps[i].setState(OFF);
        extra--;
      }
      for (let i = reps.length - 1; i >= 0 && extra > 0; i--) {
        if (reps[i].state !== UP) continue;
        reps[i].setState(reps[i].load() === 0 ? OFF : DRAINING);
        extra--;
      }
    }
    this.onChange(s);
  }

  /** Stops every loop and pending provisioning. */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) {
      clearTimeout(t);
      clearInterval(t);
    }
  }
}
