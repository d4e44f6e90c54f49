/**
 * Plain progress lines for where a dashboard does not belong (CI logs, pipes, `--no-dashboard`):
 * one line at the first snapshot, then at most one every few seconds, and a last one at the end.
 * On a TTY (`sim` without `--json`) the line is rewritten in place instead.
 */
import { performance } from 'node:perf_hooks';
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

/** Prints progress of `run` on `opts.stream`; call the returned function with the result at the end. */
export function attachProgress(run: SnapshotSource, opts: ProgressOptions): (r: RunResult) => void {
  const every = opts.everyMs ?? 3000;
  const t0 = performance.now();
  let lastLine = Number.NEGATIVE_INFINITY;
  let lastEvents = 0;
  let lastWall = t0;
  let rate = 0;
  const write = (line: string) =>
    opts.stream.write(opts.inPlace ? `\r\x1b[K${line.slice(0, 200)}` : `${line}\n`);
  const onSnapshot = (s: SimSnapshot) => {
    const now = performance.now();
    if (now > lastWall) rate = ((s.events - lastEvents) * 1000) / (now - lastWall);
    lastEvents = s.events;
    lastWall = now;
    if (now - lastLine < (opts.inPlace ? 200 : every)) return;
    lastLine = now;
    write(progressLine(opts.name, s, rate));
  };
  run.on('snapshot', onSnapshot);
  return (r: RunResult) => {
    run.off('snapshot', onSnapshot);
    if (opts.inPlace) opts.stream.write('\r\x1b[K');
    else write(doneLine(opts.name, r, (performance.now() - t0) / 1000));
  };
}
