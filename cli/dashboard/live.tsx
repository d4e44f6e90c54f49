/**
 * The live dashboard: listens to a run handle's snapshots and re-renders at most every
 * `intervalMs` (default 250 ms) from its own timer, and less often when frames are slow (at most
 * {@link FRAME_SHARE} of the wall time), so a fast simulation is never slowed by rendering every
 * slice. It never drives the run, except for the keys: `q` (or Ctrl-C) stops and
 * keeps partial results, `p` pauses and resumes.
 */
import { performance } from 'node:perf_hooks';
import { type Instance, render, Static, Text, useInput } from 'ink';
import type { RunResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { SimSnapshot } from '../../sim/run.js';
import { Dashboard } from './Dashboard.js';
import { displayRows, usableColumns } from './terminal-rows.js';
import { DashboardTracker } from './track.js';
import type { DashboardView } from './view.js';

/**
 * Kernel events per slice of a watched simulation. A fifth of the silent default, so snapshots come
 * every couple of simulated seconds in the flagship scenario (its recent window stays near 5 s);
 * slicing never changes the outcome, and the extra snapshots cost nothing measurable there.
 */
export const SLICE_EVENTS = 50_000;

/** The largest share of wall time the live frames may take (see `draw` in {@link mountFrames}). */
export const FRAME_SHARE = 0.02;

/**
 * The fewest rows the last frame is given however much is printed under it: title, progress,
 * generator, one journey and its budget line still show; more under it scrolls the title away.
 */
export const FRAME_MIN_ROWS = 10;

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

/**
 * What a command prints around the dashboard's last frame. `above` goes to the scrollback above it
 * (the long detail: tables, full warnings); `below` is printed under it by the dashboard, and
 * `belowRows` counts rows the command prints itself after that (a number alone: rows under the
 * frame, all printed by the command). The frame is as much shorter as the rows under it take at the
 * terminal's width, so its header stays on screen.
 */
export type AfterFrame = number | { above?: string; below?: string; belowRows?: number };

/** A mounted dashboard; call {@link LiveDashboard.finish} with the result to draw the last frame. */
export interface LiveDashboard {
  /**
   * Draws the last frame and lets go of the terminal, with `after` printed around it (see
   * {@link AfterFrame}); called after {@link LiveDashboard.settle}, it redraws that frame to fit.
   */
  finish(result: RunResult, after?: AfterFrame): Promise<void>;
  /**
   * Draws the final numbers now and stops following the run, keeping the terminal until
   * {@link LiveDashboard.finish}: for a command with slow work left before it knows what it prints.
   */
  settle(result: RunResult): void;
  /** Writes `text` above the frame, where it stays (a notice while the frame is kept). */
  note(text: string): void;
  /** Takes the dashboard off the terminal without a last frame (the run failed). */
  cancel(): Promise<void>;
  /** Frames drawn so far (for the benchmark). */
  readonly renders: number;
}

/** What {@link mountFrames} needs of a tracker: snapshots in, views out. */
export interface FrameTracker<S> {
  update(s: S): void;
  finish(result: RunResult): void;
  view(): DashboardView;
}

/** Where and how often {@link mountFrames} draws. */
export interface FrameOptions {
  stdout: NodeJS.WriteStream;
  /** Keys are read only when this is a TTY. */
  stdin?: NodeJS.ReadStream;
  intervalMs?: number;
}

/** Something that emits snapshots of type `S`. */
export interface SnapshotEmitter<S> {
  on(event: 'snapshot', listener: (s: S) => void): unknown;
  off(event: 'snapshot', listener: (s: S) => void): unknown;
}

interface AppProps {
  notes: string[];
  view: DashboardView;
  width: number;
  height: number;
  keys: boolean;
  interactive: boolean;
  onKey: (input: string, ctrl: boolean) => void;
}

function App({ notes, view, width, height, keys, interactive, onKey }: AppProps) {
  useInput((input, key) => onKey(input, key.ctrl), { isActive: interactive });
  return (
    <>
      <Static items={notes}>{(note, i) => <Text key={i}>{note}</Text>}</Static>
      <Dashboard view={view} width={width} height={height} keys={keys} />
    </>
  );
}

/**
 * Mounts frames of `tracker` on `opts.stdout`, fed by `source`'s snapshots and redrawn at most every
 * `intervalMs` from a timer. `onKey` handles a key and returns whether the frame should be redrawn
 * at once. Shared by the simulation's and the load run's dashboards.
 */
export function mountFrames<S>(
  source: SnapshotEmitter<S>,
  tracker: FrameTracker<S>,
  onKey: (input: string, ctrl: boolean) => boolean,
  opts: FrameOptions,
): LiveDashboard {
  const stdin = opts.stdin ?? process.stdin;
  const interactive = Boolean(stdin.isTTY);
  let dirty = true;
  let renders = 0;

  const handleKey = (input: string, ctrl: boolean) => {
    if (!onKey(input, ctrl)) return;
    dirty = true;
    draw(true);
  };

  // Keep one line spare: Ink clears the whole screen when a frame is as tall as the terminal.
  const rows = (below: number) => Math.max(FRAME_MIN_ROWS, (opts.stdout.rows || 24) - 1 - below);
  // Ink writes each note once, above the frame (its <Static>); the list only grows.
  const notes: string[] = [];
  const element = (keys: boolean, live = interactive, below = 0) => (
    <App
      notes={[...notes]}
      view={tracker.view()}
      width={usableColumns(opts.stdout.columns)}
      height={rows(below)}
      keys={keys}
      interactive={live}
      onKey={handleKey}
    />
  );

  const instance: Instance = render(element(true), {
    stdout: opts.stdout,
    stdin,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  renders++;

  // A frame (React, Ink's layout, measuring every text) costs 5–20 ms on a quiet machine, 20–150 ms
  // at load average 5: the next one waits until the last took at most FRAME_SHARE of the wall time
  // since it started, so a crowded machine or a big terminal lowers the frame rate instead of
  // slowing the run. The wait follows the cheaper of the last two frames: the first drawn frame is
  // cold (193 ms measured, then 19–55 ms) and alone it blanked a load run's display for 10 s.
  // A key press draws at once.
  let nextAt = 0;
  let lastCost = 0;
  const draw = (now = false) => {
    if (!dirty) return;
    const t0 = performance.now();
    if (!now && t0 < nextAt) return;
    dirty = false;
    renders++;
    instance.rerender(element(true));
    const cost = performance.now() - t0;
    nextAt = t0 + Math.min(cost, lastCost) / FRAME_SHARE;
    lastCost = cost;
  };
  const onSnapshot = (s: S) => {
    tracker.update(s);
    dirty = true;
  };
  source.on('snapshot', onSnapshot);
  const timer = setInterval(() => draw(), opts.intervalMs ?? 250);
  const onResize = () => {
    dirty = true;
  };
  opts.stdout.on('resize', onResize);
  let settled = false;
  const detach = () => {
    settled = true;
    clearInterval(timer);
    source.off('snapshot', onSnapshot);
    opts.stdout.off('resize', onResize);
  };
  const settle = (result: RunResult) => {
    if (settled) return;
    detach();
    tracker.finish(result);
    renders++;
    instance.rerender(element(false, false));
  };
  // Ink's <Text> would add a row for a final LF.
  const addNote = (text: string) => {
    const t = text.replace(/\n$/, '');
    if (t !== '') notes.push(t);
    return t !== '';
  };
  const note = (text: string) => {
    if (!addNote(text)) return;
    renders++;
    instance.rerender(element(!settled, interactive && !settled));
  };

  return {
    get renders() {
      return renders;
    },
    settle,
    note,
    async finish(result: RunResult, after: AfterFrame = 0) {
      settle(result);
      const {
        above = '',
        below = '',
        belowRows = 0,
      } = typeof after === 'number' ? { belowRows: after } : after;
      addNote(above);
      renders++;
      const under = displayRows(below, usableColumns(opts.stdout.columns)) + belowRows;
      instance.rerender(element(false, false, under));
      instance.unmount();
      await instance.waitUntilExit();
      if (below) opts.stdout.write(below);
    },
    async cancel() {
      detach();
      instance.clear();
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}

/** Mounts the dashboard on `opts.stdout` for `run`. */
export function mountDashboard(run: RunHandle, opts: LiveOptions): LiveDashboard {
  const tracker = new DashboardTracker(opts.scenario, opts.seed, opts.replications);
  let paused = false;
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
    } else return false;
    return true;
  };
  const timed: FrameTracker<SimSnapshot> = {
    update: (s) => tracker.update(s, performance.now()),
    finish: (r) => tracker.finish(r),
    view: () => tracker.view(),
  };
  return mountFrames(run, timed, onKey, opts);
}
