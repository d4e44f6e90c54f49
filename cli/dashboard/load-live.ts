/**
 * The live dashboard of `backline load`: the simulation's dashboard components fed by a load run's
 * snapshots through {@link LoadTracker}. `q` (or Ctrl-C, which arrives as a key in raw mode) stops
 * the run; the driver then keeps what was measured as a partial result. There is no pause: an open
 * model's schedule runs on the wall clock and cannot be held.
 */
import type { LoadSnapshot } from '../../loadtests/collector.js';
import type { Scenario } from '../../scenarios/schema.js';
import { type FrameOptions, type LiveDashboard, mountFrames } from './live.js';
import { type LoadMode, LoadTracker, type TwinSource } from './load-view.js';

/** What the load dashboard needs of a load run (`LoadRun` fits). */
export interface LoadRunHandle {
  on(event: 'snapshot', listener: (s: LoadSnapshot) => void): unknown;
  off(event: 'snapshot', listener: (s: LoadSnapshot) => void): unknown;
  stop(): void;
}

/** Options of {@link mountLoadDashboard}. */
export interface LoadLiveOptions extends FrameOptions {
  scenario: Pick<Scenario, 'name' | 'budgets'>;
  seed: number;
  /** Seconds at the start left out of the statistics (shown as warming up). */
  warmup?: number;
  mode: LoadMode;
  twin?: TwinSource;
}

/** A mounted load dashboard; `setMode` names the model once the driver has planned it. */
export interface LoadDashboard extends LiveDashboard {
  setMode(mode: LoadMode): void;
}

/** Mounts the load dashboard on `opts.stdout` for `run`. */
export function mountLoadDashboard(run: LoadRunHandle, opts: LoadLiveOptions): LoadDashboard {
  const tracker = new LoadTracker({
    scenario: opts.scenario,
    seed: opts.seed,
    mode: opts.mode,
    twin: opts.twin,
    warmup: opts.warmup,
  });
  let stopping = false;
  const onKey = (input: string, ctrl: boolean) => {
    if (stopping || !(input === 'q' || (ctrl && input === 'c'))) return false;
    stopping = true;
    tracker.setStatus('stopping');
    run.stop();
    return true;
  };
  const board = mountFrames(run, tracker, onKey, opts);
  return {
    get renders() {
      return board.renders;
    },
    finish: (r, after) => board.finish(r, after),
    settle: (r) => board.settle(r),
    note: (text) => board.note(text),
    cancel: () => board.cancel(),
    setMode: (mode) => tracker.setMode(mode),
  };
}
