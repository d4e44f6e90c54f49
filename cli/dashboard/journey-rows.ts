/**
 * Journey rows shared by the simulation's and the load run's trackers: each journey keeps a
 * {@link RecentWindow} and the sparkline histories of its windowed throughput, p99 and error rate
 * over the whole run ({@link RunSeries}); a row is built from the window while running and from the
 * result in the final frame.
 */
import type { JourneyResult } from '../../results/run-result.js';
import { journeyVerdict } from './budget-views.js';
import { type JourneyReading, RecentWindow, type WindowFigures } from './recent.js';
import { RunSeries } from './series.js';
import type { BudgetView, JourneyView } from './view.js';

interface Track {
  window: RecentWindow;
  figures: WindowFigures | undefined;
  throughput: RunSeries;
  p99: RunSeries;
  errors: RunSeries;
}

/** The windows and histories of a run's journeys. */
export class JourneyTracks {
  private readonly tracks = new Map<string, Track>();

  /** Adds journey `name`'s cumulative readings at `t` seconds. */
  add(name: string, t: number, r: JourneyReading): void {
    let k = this.tracks.get(name);
    if (!k) {
      k = {
        window: new RecentWindow(),
        figures: undefined,
        throughput: new RunSeries('mean'),
        p99: new RunSeries('max'),
        errors: new RunSeries('max'),
      };
      this.tracks.set(name, k);
    }
    k.window.add(t, r);
    k.figures = k.window.figures();
    if (!k.figures) return;
    k.throughput.push(k.figures.throughput);
    k.p99.push(k.figures.latency.p99);
    k.errors.push(k.figures.errorRate);
  }

  /** The window's figures of `name`, once it has two readings. */
  figures(name: string): WindowFigures | undefined {
    return this.tracks.get(name)?.figures;
  }

  /** The longest window any journey covers now (seconds). */
  windowSeconds(): number | undefined {
    let most: number | undefined;
    for (const k of this.tracks.values()) if (k.figures) most = Math.max(most ?? 0, k.figures.seconds);
    return most;
  }

  /** The row of `name` while the run goes on. */
  liveRow(name: string, budgets: readonly BudgetView[]): JourneyView {
    const k = this.tracks.get(name);
    const f = k?.figures;
    const row: JourneyView = {
      name,
      throughput: f?.throughput ?? Number.NaN,
      p50: f?.latency.p50 ?? Number.NaN,
      p99: f?.latency.p99 ?? Number.NaN,
      errorRate: f?.errorRate ?? Number.NaN,
      count: f?.count ?? 0,
      ...journeyVerdict(budgets, name),
      history: historyOf(k),
    };
    if (f && Object.keys(f.causes).length > 0) row.causes = f.causes;
    if (f?.checks) row.checks = checkRate(f.checks);
    return row;
  }

  /** The row of `name` in the final frame: the result's figures over the whole run. */
  finalRow(name: string, j: JourneyResult, budgets: readonly BudgetView[]): JourneyView {
    const k = this.tracks.get(name);
    // Latency is measured on successes only: with none, show no figure rather than 0.
    const ok = j.count - sum(j.errors) > 0;
    const row: JourneyView = {
      name,
      throughput: j.throughput,
      p50: ok ? j.latency.p50 : Number.NaN,
      p99: ok ? j.latency.p99 : Number.NaN,
      errorRate: j.count > 0 ? j.errorRate : Number.NaN,
      count: j.count,
      ...journeyVerdict(budgets, name),
      history: historyOf(k),
    };
    if (Object.keys(j.errors).length > 0) row.causes = j.errors;
    if (j.checks) row.checks = checkRate(j.checks);
    return row;
  }
}

/** The window as a journey result, for the budget evaluator (no histogram: it reads the summary). */
export function windowResult(f: WindowFigures): JourneyResult {
  // A simulation's snapshot counts failures without their causes.
  const causes = Object.keys(f.causes).length > 0 ? f.causes : f.errors > 0 ? { failed: f.errors } : {};
  const j: JourneyResult = {
    count: f.count,
    errors: causes,
    errorRate: f.count > 0 ? f.errors / f.count : 0,
    throughput: f.throughput,
    latency: f.latency,
    hdr: '',
    sumSeconds: 0,
  };
  if (f.checks) j.checks = f.checks;
  return j;
}

function checkRate(c: { pass: number; fail: number }): number {
  return c.pass + c.fail > 0 ? c.pass / (c.pass + c.fail) : Number.NaN;
}

function sum(o: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(o)) s += v;
  return s;
}

function historyOf(k: Track | undefined): JourneyView['history'] {
  return {
    throughput: k?.throughput.points() ?? [],
    p99: k?.p99.points() ?? [],
    errors: k?.errors.points() ?? [],
  };
}
