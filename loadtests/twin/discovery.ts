/**
 * The twin's service discovery: the simulator's own {@link Registry} (`sim/resilience/discovery.ts`)
 * per service that has `discovery`, its health-check rounds and refreshes run on the wall clock at
 * `phase + k·period` seconds after they are armed, which the twin does just before it arms its fault
 * timeline, so they fall at the same instants relative to the faults as in the simulation. The phases
 * come from the stream `discovery:<service>` of the twin's seed, replication 0: the simulation's
 * first replication draws the same ones.
 */
import type { Registry, StaleBurst } from '../../sim/resilience/discovery.js';

/**
 * Arms every registry's checks and refreshes from now on `clock` (twin seconds; undefined once the
 * twin stopped, which ends them). The timers are unref'd: one still pending when the twin stops
 * keeps no process alive and does nothing.
 */
export function runRegistries(
  registries: readonly (Registry | undefined)[],
  clock: () => number | undefined,
): void {
  const now = () => clock() ?? Number.NaN;
  const base = now();
  const every = (phase: number, period: number, tick: (t: number) => void) => {
    const arm = (k: number) => {
      const at = base + phase + k * period;
      const timer = setTimeout(
        () => {
          const t = clock();
          if (t === undefined) return;
          tick(t);
          arm(k + 1);
        },
        Math.max(0, (at - now()) * 1000),
      );
      timer.unref();
    };
    arm(0);
  };
  for (const reg of registries) {
    if (!reg) continue;
    reg.begin();
    every(reg.checkPhase, reg.spec.interval, (t) => reg.check(t));
    if (reg.spec.ttl > 0) every(reg.refreshPhase, reg.spec.ttl, (t) => reg.refresh(t));
  }
}

/** A service result's `staleBursts`, when the service has a registry (spread into the result). */
export function staleBurstsOf(reg: Registry | undefined): { staleBursts?: StaleBurst[] } {
  return reg ? { staleBursts: reg.bursts.map((b) => ({ ...b })) } : {};
}
