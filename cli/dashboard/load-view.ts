/**
 * Turns a load run's snapshots (about every 250 ms) into {@link DashboardView}s, so the same
 * components that draw a simulation draw a real load test: wall time instead of simulated time,
 * requests/s achieved against offered, corrected p99, errors by cause, and — with `--twin` — the
 * twin's per-service counters and the faults it has fired. Clocks are the run's own elapsed seconds
 * (and the twin's), so a view is a pure function of what was fed in.
 */

import type { LoadSnapshot } from '../../loadtests/collector.js';
import { generatorFacts, generatorRow } from '../../results/generator-row.js';
import type { FaultMark, RunResult, ServiceResult } from '../../results/run-result.js';
import type { Budget, Scenario } from '../../scenarios/schema.js';
import { finalBudgetViews, type LiveFigures, liveBudgetViews, loadBudgets } from './budget-views.js';
import { JourneyTracks, windowResult } from './journey-rows.js';
import type { DashboardView, FaultView, JourneyView, LoadRunView, ServiceView } from './view.js';

/** Rates are taken over about this many seconds, so 250 ms snapshots do not flicker. */
const SPAN = 1;

/** What the dashboard reads of a twin: it is what `Twin` exposes (a structural view for tests). */
export interface TwinSource {
  /** Per-service counters since the twin started (utilization is cumulative). */
  services(): Record<string, ServiceResult>;
  /** Seconds since the twin started: the clock of its fault timeline. */
  now(): number;
  /** The planned fault timeline; a fault has fired once `now() >= at`. */
  readonly faults: readonly FaultMark[];
}

/** How the load is made, as the header names it. */
export type LoadMode =
  | { kind: 'open' }
  | { kind: 'closed'; users: number }
  | { kind: 'max'; connections?: number };

/** Options of {@link LoadTracker}. */
export interface LoadTrackerOptions {
  scenario: Pick<Scenario, 'name' | 'budgets'>;
  /** Seconds at the start whose requests the statistics leave out. */
  warmup?: number;
  seed: number;
  mode: LoadMode;
  twin?: TwinSource;
}

/** The load header's tool label: `open model · twin`, `closed model · 20 users`, `autocannon --max`. */
export function toolLabel(mode: LoadMode, twin: boolean): string {
  const base =
    mode.kind === 'open'
      ? 'open model'
      : mode.kind === 'closed'
        ? `closed model · ${mode.users} users`
        : `autocannon --max${mode.connections ? ` · ${mode.connections} conn` : ''}`;
  return twin ? `${base} · twin` : base;
}

/** A rate over the last `SPAN` seconds of a growing counter. */
class Rate {
  private readonly points: { t: number; v: number }[] = [{ t: 0, v: 0 }];
  value = 0;

  /** Adds the counter's reading `v` at `t` seconds and updates {@link Rate.value}. */
  add(t: number, v: number): number {
    const last = this.points[this.points.length - 1];
    if (t <= last.t) return this.value;
    this.points.push({ t, v });
    // Keep the newest point at least SPAN old as the base of the rate.
    while (this.points.length > 2 && this.points[1].t <= t - SPAN) this.points.shift();
    const base = this.points[0];
    this.value = (v - base.v) / (t - base.t);
    return this.value;
  }
}

interface ServiceTrack {
  /** Busy slot-seconds and served requests, whose rates are utilization × slots and served/s. */
  busy: Rate;
  served: Rate;
}

/** Accumulates one load run's snapshots into views. */
export class LoadTracker {
  private readonly budgets: Budget[];
  private readonly tracks = new JourneyTracks();
  private readonly services = new Map<string, ServiceTrack>();
  private readonly achieved = new Rate();
  private last: LoadSnapshot | undefined;
  private serviceRows: ServiceView[] = [];
  private faultRows: FaultView[] = [];
  private status: DashboardView['status'] = 'running';
  private final: RunResult | undefined;
  private mode: LoadMode;

  constructor(private readonly opts: LoadTrackerOptions) {
    this.budgets = loadBudgets(opts.scenario);
    this.mode = opts.mode;
  }

  /** Sets how the load is made once the driver has planned it (open or closed model). */
  setMode(mode: LoadMode): void {
    this.mode = mode;
  }

  /** Takes one snapshot, and reads the twin's counters and faults at the same moment. */
  update(s: LoadSnapshot): void {
    this.achieved.add(s.elapsed, s.completed);
    for (const j of s.journeys) this.tracks.add(j.name, s.elapsed, j);
    this.last = s;
    const twin = this.opts.twin;
    if (twin) {
      const now = twin.now();
      this.serviceRows = Object.entries(twin.services()).map(([name, svc]) => {
        let t = this.services.get(name);
        if (!t) {
          t = { busy: new Rate(), served: new Rate() };
          this.services.set(name, t);
        }
        const slots = Math.max(1, svc.replicas * svc.workers);
        const row: ServiceView = {
          name,
          replicas: svc.replicas,
          utilization: t.busy.add(now, svc.utilization * now * slots) / slots,
          queue: svc.queue,
          rate: t.served.add(now, svc.served),
          rejected: svc.rejected,
        };
        return row;
      });
      this.faultRows = twin.faults
        .filter((f) => f.at <= now)
        .map((f) => ({ at: f.at, for: f.for, label: f.label, active: now < f.at + f.for }));
    }
  }

  /** Marks the run stopping (after `q`) or running. */
  setStatus(status: DashboardView['status']): void {
    this.status = status;
  }

  /** Ends tracking with the final result: its figures and budgets make the last frame. */
  finish(result: RunResult): void {
    this.final = result;
    this.status = result.partial ? 'stopped' : 'done';
  }

  /** The current frame's data. */
  view(): DashboardView {
    const s = this.last;
    const r = this.final;
    const elapsed = r ? r.window.end : (s?.elapsed ?? 0);
    const warming = !r && elapsed < (this.opts.warmup ?? 0);
    const budgets = r
      ? finalBudgetViews(this.budgets, r)
      : liveBudgetViews(this.budgets, this.figures(), warming);
    const names = s ? s.journeys.map((j) => j.name) : Object.keys(r?.journeys ?? {});
    const journeys: JourneyView[] = names.map((name) => {
      const fin = r?.journeys[name];
      return fin ? this.tracks.finalRow(name, fin, budgets) : this.tracks.liveRow(name, budgets);
    });
    const duration = s?.duration ?? r?.window.end ?? 0;
    const load: LoadRunView = {
      tool: toolLabel(this.mode, this.opts.twin !== undefined),
      elapsed,
      duration,
      achieved: this.achieved.value,
      sent: s?.sent ?? 0,
      inFlight: s?.inFlight ?? 0,
      // A closed loop on autocannon has no intended schedule: its latency is from the send.
      corrected: this.mode.kind !== 'max',
    };
    // The last frame offers the schedule's mean rate: a snapshot at its end reads the profile past it (0).
    const offered = r?.target?.offeredRate ?? s?.offeredRate;
    if (this.mode.kind === 'open' && offered !== undefined) load.offered = offered;
    if (r?.generator) load.generator = generatorRow(generatorFacts(r.generator));
    else if (s?.generator) load.generator = generatorRow(s.generator);
    if (r) {
      // The result counts every request; the last snapshot may have missed the final few.
      let measured = 0;
      let rate = 0;
      for (const j of Object.values(r.journeys)) {
        measured += j.count;
        rate += j.throughput;
      }
      load.measured = measured;
      load.achieved = rate;
    }
    const view: DashboardView = {
      scenario: this.opts.scenario.name,
      seed: this.opts.seed,
      replication: 0,
      replications: 1,
      time: elapsed,
      duration,
      events: load.sent,
      eventsPerSec: load.achieved,
      status: this.status,
      journeys,
      budgets,
      services: r?.services ? this.finalServices(r) : this.serviceRows,
      // The twin has stopped by the last frame: nothing is active any more.
      faults: r?.faults ? r.faults.map((f) => ({ ...f, active: false })) : this.faultRows,
      load,
    };
    if (warming) view.warming = true;
    const win = r ? undefined : this.tracks.windowSeconds();
    if (win !== undefined) view.window = win;
    return view;
  }

  /** The journey windows, as the live budgets judge them. */
  private figures(): LiveFigures {
    const journeys: LiveFigures['journeys'] = {};
    for (const j of this.last?.journeys ?? []) {
      const f = this.tracks.figures(j.name);
      if (f) journeys[j.name] = windowResult(f);
    }
    return { journeys };
  }

  /** The twin's counters over the whole run, as the result keeps them. */
  private finalServices(r: RunResult): ServiceView[] {
    const seconds = r.window.end;
    return Object.entries(r.services ?? {}).map(([name, svc]) => ({
      name,
      replicas: svc.replicas,
      utilization: svc.utilization,
      queue: svc.queue,
      rate: seconds > 0 ? svc.served / seconds : 0,
      rejected: svc.rejected,
    }));
  }
}
