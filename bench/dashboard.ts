/**
 * Dashboard overhead: the same simulation run through the sliced run handle with and without the
 * live dashboard mounted (rendering into a fake 120×40 terminal, as ink-testing-library does).
 * Runs alternate and the fastest of each kind is compared, which keeps other load on a shared
 * machine out of the ratio as far as possible. Target: overhead ≤ 5 %.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { selectReactProduction } from '../cli/commands/run.js';
import { loadScenario } from '../scenarios/load.js';
import { simulate } from '../sim/run.js';

/** One benchmark line. */
export interface DashboardLine {
  bench: 'dashboard-overhead';
  events: number;
  plainSeconds: number;
  dashboardSeconds: number;
  renders: number;
  overheadPct: number;
}

function fakeTerminal() {
  const stdout = Object.assign(new EventEmitter(), {
    columns: 120,
    rows: 40,
    bytes: 0,
    write(s: string) {
      this.bytes += s.length;
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: false,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read: () => null,
  });
  return { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream };
}

type Mount = typeof import('../cli/dashboard/live.js')['mountDashboard'];

async function once(
  mountDashboard: Mount,
  withDashboard: boolean,
): Promise<{ seconds: number; events: number; renders: number }> {
  const scenario = loadScenario('mmc', ['duration=2400000s', 'replications=1']);
  const t0 = performance.now();
  const run = simulate(scenario);
  const term = fakeTerminal();
  const board = withDashboard
    ? mountDashboard(run, { scenario, seed: 1, replications: 1, stdout: term.stdout, stdin: term.stdin })
    : undefined;
  const result = await run.result;
  await board?.finish(result);
  return {
    seconds: (performance.now() - t0) / 1000,
    events: result.events ?? 0,
    renders: board?.renders ?? 0,
  };
}

/** Runs the comparison `rounds` times each, alternating. */
export async function benchDashboard(rounds = 5): Promise<DashboardLine> {
  // As `backline run` does: React's production build, chosen before Ink loads.
  selectReactProduction();
  const { mountDashboard } = await import('../cli/dashboard/live.js');
  // Warm the JIT on both paths: the first mount of Ink and React costs more than any later one.
  await once(mountDashboard, false);
  await once(mountDashboard, true);
  let plain = Number.POSITIVE_INFINITY;
  let dash = Number.POSITIVE_INFINITY;
  let events = 0;
  let renders = 0;
  for (let i = 0; i < rounds; i++) {
    const a = await once(mountDashboard, false);
    const b = await once(mountDashboard, true);
    plain = Math.min(plain, a.seconds);
    if (b.seconds < dash) {
      dash = b.seconds;
      renders = b.renders;
    }
    events = a.events;
  }
  return {
    bench: 'dashboard-overhead',
    events,
    plainSeconds: Math.round(plain * 1000) / 1000,
    dashboardSeconds: Math.round(dash * 1000) / 1000,
    renders,
    overheadPct: Math.round(((dash - plain) / plain) * 1000) / 10,
  };
}
