/**
 * The twin's fault timeline, on the wall clock from start, as the simulator's fault injector applies
 * it: `crash` takes `count` serving replicas of a service down (their ports close: connection
 * refused, in-flight requests reset) or store nodes; `outage` takes down every replica of a region;
 * `slow` adds service time; `errors` fails a share with 500; `partition` cuts two regions apart.
 * Each is undone at `at + for`; overlapping faults add up.
 */
import type { FaultMark } from '../../results/run-result.js';
import type { Network } from '../../sim/topology/network.js';
import type { LoadFault } from '../shape.js';
import type { TwinPlacement } from './placement.js';
import type { TwinReplica } from './replicas.js';
import type { ServiceState } from './service.js';
import type { TwinStore } from './store.js';

/** What faults act on. */
export interface FaultTargets {
  serviceIndex: Map<string, number>;
  states: ServiceState[];
  placement: TwinPlacement;
  network: Network;
  stores: Map<string, TwinStore>;
  /** A replica went down (+1) or came back (-1): open or close its port. */
  setDown(r: TwinReplica, delta: number): void;
}

/** The label of a fault mark, e.g. `crash gateway`, `outage us-east`. */
export function faultLabel(f: LoadFault): string {
  if (f.kind === 'outage') return `outage ${f.region}`;
  if (f.kind === 'partition') return `partition ${f.a}<->${f.b}`;
  return `${f.kind} ${f.target}`;
}

/** Arms every fault; returns the timers (cleared on stop) and the marks. */
export function scheduleFaults(
  faults: readonly LoadFault[],
  t: FaultTargets,
  stopped: () => boolean,
): { timers: NodeJS.Timeout[]; marks: FaultMark[] } {
  const timers: NodeJS.Timeout[] = [];
  const marks: FaultMark[] = [];
  for (const f of faults) {
    let taken: TwinReplica[] = [];
    const apply = (sign: 1 | -1) => {
      if (stopped()) return;
      if (f.kind === 'outage' || f.kind === 'partition') {
        const regions = t.network.regions;
        if (f.kind === 'partition') {
          const a = regions.indexOf(f.a);
          const b = regions.indexOf(f.b);
          if (a >= 0 && b >= 0) t.network.partition(a, b, sign);
          return;
        }
        const ri = regions.indexOf(f.region);
        for (const r of t.placement.replicas) if (r.region === ri) t.setDown(r, sign);
        if (ri >= 0) for (const s of t.stores.values()) s.outage(ri, sign);
        return;
      }
      const [head, name] = f.target.split('.', 2);
      if (head === 'stores') {
        if (f.kind === 'crash') void t.stores.get(name)?.crash(f.count, sign > 0);
        return;
      }
      const s = t.serviceIndex.get(f.target);
      if (s === undefined) return; // streams: not served by the twin
      const st = t.states[s];
      if (f.kind === 'slow') st.slow = Math.max(0, st.slow + sign * f.add);
      else if (f.kind === 'errors') st.errorRate = Math.max(0, st.errorRate + sign * f.rate);
      else if (sign > 0) {
        taken = t.placement
          .of(s)
          .filter((r) => r.routable())
          .slice(0, f.count);
        for (const r of taken) t.setDown(r, 1);
      } else for (const r of taken) t.setDown(r, -1);
    };
    timers.push(setTimeout(() => apply(1), f.at * 1000));
    if (Number.isFinite(f.for)) timers.push(setTimeout(() => apply(-1), (f.at + f.for) * 1000));
    marks.push({ at: f.at, for: f.for, label: faultLabel(f) });
  }
  return { timers, marks };
}
