/**
 * The live dashboard: listens to a run handle's snapshots and re-renders at most every
 * `intervalMs` (default 250 ms) from its own timer, so a fast simulation is never slowed by
 * rendering every slice. It never drives the run, except for the keys: `q` (or Ctrl-C) stops and
 * keeps partial results, `p` pauses and resumes.
 */
import { performance } from 'node:perf_hooks';
import { type Instance, render, useInput } from 'ink';
import type { RunResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { SimSnapshot } from '../../sim/run.js';
import { Dashboard } from './Dashboard.js';
import { DashboardTracker } from './track.js';
import type { DashboardView } from './view.js';

/** What the dashboard needs of a run: its snapshots and the controls behind the keys. */
export interface RunHandle {
  on(event: 'snapshot', listener: (s: SimSnapshot) => void): unknown;
  off(event: 'snapshot', listener: (s: SimSnapshot) => void): unknown;
  stop(): void;
  pause(): void;
  unpause(): void;
}

/** Options of {@link mountDashboard}. */
export interface LiveOptions {
  scenario: Scenario;
  seed: number;
  replications: number;
  stdout: NodeJS.WriteStream;
  /** Keys are read only when this is a TTY. */
  stdin?: NodeJS.ReadStream;
  intervalMs?: number;
}

/** A mounted dashboard; call {@link LiveDashboard.finish} with the result to draw the last frame. */
export interface LiveDashboard {
  finish(result: RunResult): Promise<void>;
  /** Frames drawn so far (for the benchmark). */
  readonly renders: number;
}

interface AppProps {
  view: DashboardView;
  width: number;
  height: number;
  keys: boolean;
  interactive: boolean;
  onKey: (input: string, ctrl: boolean) => void;
}

function App({ view, width, height, keys, interactive, onKey }: AppProps) {
  useInput((input, key) => onKey(input, key.ctrl), { isActive: interactive });
  return <Dashboard view={view} width={width} height={height} keys={keys} />;
}

/** Mounts the dashboard on `opts.stdout` for `run`. */
export function mountDashboard(run: RunHandle, opts: LiveOptions): LiveDashboard {
  const tracker = new DashboardTracker(opts.scenario, opts.seed, opts.replications);
  const stdin = opts.stdin ?? process.stdin;
  const interactive = Boolean(stdin.isTTY);
  let dirty = true;
  let paused = false;
  let renders = 0;

  const onKey = (input: string, ctrl: boolean) => {
    if (input === 'q' || (ctrl && input === 'c')) {
      tracker.setStatus('stopping');
      if (paused) run.unpause();
      run.stop();
    } else if (input === 'p') {
      paused = !paused;
      if (paused) run.pause();
      else run.unpause();
      tracker.setStatus(paused ? 'paused' : 'running');
    } else return;
    dirty = true;
    draw();
  };

  const element = (keys: boolean) => (
    <App
      view={tracker.view()}
      // Keep one line spare: Ink clears the whole screen when a frame is as tall as the terminal.
      width={opts.stdout.columns || 80}
      height={Math.max(12, (opts.stdout.rows || 24) - 1)}
      keys={keys}
      interactive={interactive}
      onKey={onKey}
    />
  );

  const instance: Instance = render(element(true), {
    stdout: opts.stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  renders++;

  const draw = () => {
    if (!dirty) return;
    dirty = false;
    renders++;
    instance.rerender(element(true));
  };
  const onSnapshot = (s: SimSnapshot) => {
    tracker.update(s, performance.now());
    dirty = true;
  };
  run.on('snapshot', onSnapshot);
  const timer = setInterval(draw, opts.intervalMs ?? 250);
  const onResize = () => {
    dirty = true;
  };
  opts.stdout.on('resize', onResize);

  return {
    get renders() {
      return renders;
    },
    async finish(result: RunResult) {
      clearInterval(timer);
      run.off('snapshot', onSnapshot);
      opts.stdout.off('resize', onResize);
      tracker.finish(result);
      renders++;
      instance.rerender(
        <App
          view={tracker.view()}
          width={opts.stdout.columns || 80}
          height={Math.max(12, (opts.stdout.rows || 24) - 1)}
          keys={false}
          interactive={false}
          onKey={onKey}
        />,
      );
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
