/**
 * Plain progress lines for where a dashboard does not belong (CI logs, pipes, `--no-dashboard`):
 * one line at the first snapshot, then at most one every few seconds, and a last one at the end.
 * On a TTY (`sim` without `--json`) the line is rewritten in place instead. Simulations and load
 * runs each have their own line; the throttling is shared.
 */
import { performance } from 'node:perf_hooks';
import type { LoadSnapshot } from '../loadtests/collector.js';
import type { RunResult } from '../results/run-result.js';
import type { SimSnapshot } from '../sim/run.js';
import { clock, ms, pct, si } from './dashboard/glyphs.js';

/** What progress needs of a run. */
export interface SnapshotSource {
  on(event: 'snapshot', listener: (s: SimSnapshot) => void): unknown;
  off(event: 'snapshot', listener: (s: SimSnapshot) => void): unknown;
}

/** Options of {@link attachProgress}. */
export interface ProgressOptions {
  /** Scenario name shown at the start of each line. */
  name: string;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Wall milliseconds between lines (default 3000). */
  everyMs?: number;
  /** Rewrite one line in place (TTY) instead of printing new lines. */
  inPlace?: boolean;
}

/** Share of the whole run done: replications before this one plus this one's progress. */
export function runShare(s: SimSnapshot): number {
  if (s.duration <= 0 || s.replications <= 0) return 0;
  return Math.min(1, (s.replication + Math.min(1, s.time / s.duration)) / s.replications);
}

/** One progress line: `mmc  42%  rep 2/5  t=8400s/20000s  1.23M events (1.10M ev/s)  req p99 4.2s err 0.0%`. */
export function progressLine(name: string, s: SimSnapshot, eventsPerSec: number): string {
  const head = `${name}  ${(runShare(s) * 100).toFixed(0).padStart(3)}%  rep ${s.replication + 1}/${s.replications}  t=${clock(s.time)}/${clock(s.duration)}  ${si(s.events)} events (${si(eventsPerSec)} ev/s)`;
  const journeys = s.journeys
    .slice(0, 3)
    .map(
      (j) =>
        `${j.name} p99 ${j.count > 0 ? ms(j.p99) : '-'} err ${pct(j.count > 0 ? j.errors / j.count : 0)}`,
    );
  return [head, ...journeys].join('  ');
}

/** The line printed when the run has ended. */
export function doneLine(name: string, r: RunResult, seconds: number): string {
  const events = r.events ?? 0;
  const head = `${name}  ${r.partial ? 'stopped (partial)' : 'done'}  ${si(events)} events in ${seconds.toFixed(1)}s (${si(seconds > 0 ? events / seconds : 0)} ev/s)`;
  const journeys = Object.entries(r.journeys)
    .slice(0, 3)
    .map(([n, j]) => `${n} p99 ${ms(j.latency.p99)} err ${pct(j.errorRate)}`);
  return [head, ...journeys].join('  ');
}

/** Anything that emits snapshots of type `S`. */
interface Emitter<S> {
  on(event: 'snapshot', listener: (s: S) => void): unknown;
  off(event: 'snapshot', listener: (s: S) => void): unknown;
}

/**
 * Writes `line(s)` for the first snapshot that is `ready` and then at most every `everyMs`; `observe`
 * sees every snapshot (rates need them all). The returned function writes `done(result, seconds)`.
 */
function throttled<S>(
  run: Emitter<S>,
  opts: ProgressOptions,
  observe: (s: S, nowMs: number) => void,
  line: (s: S) => string,
  done: (r: RunResult, seconds: number) => string,
  ready: (s: S) => boolean = () => true,
): (r: RunResult) => void {
  const every = opts.everyMs ?? 3000;
  const t0 = performance.now();
  let lastLine = Number.NEGATIVE_INFINITY;
  const write = (text: string) =>
    opts.stream.write(opts.inPlace ? `\r\x1b[K${text.slice(0, 200)}` : `${text}\n`);
  const onSnapshot = (s: S) => {
    const now = performance.now();
    observe(s, now);
    if (!ready(s) || now - lastLine < (opts.inPlace ? 200 : every)) return;
    lastLine = now;
    write(line(s));
  };
  run.on('snapshot', onSnapshot);
  return (r: RunResult) => {
    run.off('snapshot', onSnapshot);
    if (opts.inPlace) opts.stream.write('\r\x1b[K');
    else write(done(r, (performance.now() - t0) / 1000));
  };
}

/** Prints progress of `run` on `opts.stream`; call the returned function with the result at the end. */
export function attachProgress(run: SnapshotSource, opts: ProgressOptions): (r: RunResult) => void {
  let lastEvents = 0;
  let lastWall = performance.now();
  let rate = 0;
  return throttled<SimSnapshot>(
    run,
    opts,
    (s, now) => {
      if (now > lastWall) rate = ((s.events - lastEvents) * 1000) / (now - lastWall);
      lastEvents = s.events;
      lastWall = now;
    },
    (s) => progressLine(opts.name, s, rate),
    (r, seconds) => doneLine(opts.name, r, seconds),
  );
}

/** `s` seconds with one decimal below a minute (loads are often short), else as a clock. */
function wall(s: number): string {
  return s < 60 ? `${Math.max(0, s).toFixed(1)}s` : clock(s);
}

/**
 * One load progress line: `load-cli  40%  2.0s/5.0s  sent 100  in flight 2  48.0/50.0 req/s  play
 * p99 3.20ms err 0.0%`. `achieved` is responses per second; the offered rate shows in the open model.
 */
export function loadProgressLine(name: string, s: LoadSnapshot, achieved: number): string {
  const share = s.duration > 0 ? Math.min(1, s.elapsed / s.duration) : 0;
  const rates = s.offeredRate > 0 ? `${si(achieved)}/${si(s.offeredRate)} req/s` : `${si(achieved)} req/s`;
  const head = `${name}  ${(share * 100).toFixed(0).padStart(3)}%  ${wall(Math.min(s.elapsed, s.duration))}/${wall(s.duration)}  sent ${s.sent}  in flight ${s.inFlight}  ${rates}`;
  const journeys = s.journeys
    .slice(0, 3)
    .map(
      (j) =>
        `${j.name} p99 ${j.count > 0 ? ms(j.p99) : '-'} err ${pct(j.count > 0 ? j.errors / j.count : 0)}`,
    );
  return [head, ...journeys].join('  ');
}

/** The line printed when a load run has ended. */
export function loadDoneLine(name: string, r: RunResult, seconds: number): string {
  let count = 0;
  for (const j of Object.values(r.journeys)) count += j.count;
  const head = `${name}  ${r.partial ? 'stopped (partial)' : 'done'}  ${count} requests measured in ${seconds.toFixed(1)}s`;
  const journeys = Object.entries(r.journeys)
    .slice(0, 3)
    .map(([n, j]) => `${n} ${si(j.throughput)}/s p99 ${ms(j.latency.p99)} err ${pct(j.errorRate)}`);
  return [head, ...journeys].join('  ');
}

/** What load progress needs of a load run. */
export interface LoadSnapshotSource {
  on(event: 'snapshot', listener: (s: LoadSnapshot) => void): unknown;
  off(event: 'snapshot', listener: (s: LoadSnapshot) => void): unknown;
}

/**
 * Prints progress of a load run on `opts.stream` (requests/s achieved over the time since the last
 * line); call the returned function with the result at the end.
 */
export function attachLoadProgress(run: LoadSnapshotSource, opts: ProgressOptions): (r: RunResult) => void {
  // Achieved rate over the span since the previous printed line: steadier than one snapshot's.
  let from = { elapsed: 0, completed: 0 };
  let achieved = 0;
  return throttled<LoadSnapshot>(
    run,
    opts,
    () => {},
    (s) => {
      if (s.elapsed > from.elapsed) achieved = (s.completed - from.completed) / (s.elapsed - from.elapsed);
      from = { elapsed: s.elapsed, completed: s.completed };
      return loadProgressLine(opts.name, s, achieved);
    },
    (r, seconds) => loadDoneLine(opts.name, r, seconds),
    // The first snapshot comes before any request; a line then would say nothing.
    (s) => s.completed > 0,
  );
}
