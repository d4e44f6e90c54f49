/**
 * Turns a simulation's snapshots into {@link DashboardView}s: journey figures over the last
 * {@link WINDOW_SECONDS} of simulated time (at least one snapshot apart), their sparkline histories,
 * events per wall-clock second, and every budget judged on those figures. The final frame shows the
 * result's figures and verdicts.
 */

import type { CdnEdgeResult, RunResult, StreamResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { SimSnapshot } from '../../sim/run.js';
import { faultMarks } from '../../sim/topology/faults.js';
import { finalBudgetViews, type LiveFigures, liveBudgetViews } from './budget-views.js';
import { JourneyTracks, windowResult } from './journey-rows.js';
import type { ContentView, DashboardView, FaultView, JourneyView, ServiceView } from './view.js';

/** What the tracker reads of the scenario. */
export type TrackedScenario = Pick<Scenario, 'name' | 'duration' | 'warmup' | 'budgets' | 'faults'>;

/** Accumulates snapshots of one run into views. */
export class DashboardTracker {
  private readonly faultsPlanned: FaultView[];
  private last: SimSnapshot | undefined;
  private readonly tracks = new JourneyTracks();
  private lastEvents = 0;
  private lastWall = 0;
  private eventsPerSec = 0;
  private status: DashboardView['status'] = 'running';
  private final: RunResult | undefined;

  constructor(
    private readonly scenario: TrackedScenario,
    private readonly seed: number,
    private readonly replications: number,
  ) {
    this.faultsPlanned = faultMarks(scenario.faults);
  }

  /** Takes one snapshot; `wallMs` is a monotonic wall clock reading for events/s. */
  update(s: SimSnapshot, wallMs: number): void {
    if (this.last && wallMs > this.lastWall) {
      const rate = ((s.events - this.lastEvents) * 1000) / (wallMs - this.lastWall);
      // Smooth a little: slices differ in length and the display should not flicker.
      this.eventsPerSec = this.eventsPerSec > 0 ? 0.6 * rate + 0.4 * this.eventsPerSec : rate;
    }
    if (!this.last || wallMs > this.lastWall) {
      this.lastEvents = s.events;
      this.lastWall = wallMs;
    }
    // A new replication restarts its clock, and with it every window.
    for (const j of s.journeys) this.tracks.add(j.name, s.time, j);
    this.last = s;
  }

  /** Marks the run paused, stopping (after `q`) or running again. */
  setStatus(status: DashboardView['status']): void {
    this.status = status;
  }

  /** Ends tracking with the final result: figures and budgets then come from the result itself. */
  finish(result: RunResult): void {
    this.final = result;
    this.status = result.partial ? 'stopped' : 'done';
  }

  /** The current frame's data. */
  view(): DashboardView {
    const s = this.last;
    const r = this.final;
    const time = s?.time ?? 0;
    const warming = !r && time < this.scenario.warmup;
    const budgets = r
      ? finalBudgetViews(this.scenario.budgets, r)
      : liveBudgetViews(this.scenario.budgets, s ? this.figures(s) : { journeys: {} }, warming);
    const names = s ? s.journeys.map((j) => j.name) : Object.keys(r?.journeys ?? {});
    const journeys: JourneyView[] = names.map((name) => {
      const fin = r?.journeys[name];
      return fin ? this.tracks.finalRow(name, fin, budgets) : this.tracks.liveRow(name, budgets);
    });
    const services: ServiceView[] = r?.services
      ? Object.entries(r.services).map(([name, svc]) => {
          // The final frame shows the result's figures (over the measurement window, all replications).
          const row: ServiceView = {
            name,
            replicas: svc.replicas,
            utilization: svc.utilization,
            queue: svc.queue,
          };
          const last = svc.breaker?.[svc.breaker.length - 1];
          if (last) row.breaker = last[1];
          return row;
        })
      : (s?.services ?? []).map((svc) => ({ ...svc }));
    const view: DashboardView = {
      scenario: this.scenario.name,
      seed: this.seed,
      replication: s?.replication ?? 0,
      replications: s?.replications ?? this.replications,
      time,
      duration: s?.duration ?? this.scenario.duration,
      events: r?.events ?? s?.events ?? 0,
      eventsPerSec: this.eventsPerSec,
      status: this.status,
      journeys,
      budgets,
      services,
      faults: r?.faults ?? this.faultsPlanned.filter((f) => f.at <= time),
    };
    if (warming) view.warming = true;
    const win = r ? undefined : this.tracks.windowSeconds();
    if (win !== undefined) view.window = win;
    const content = contentOf(r ?? s);
    if (content) view.content = content;
    return view;
  }

  /** The figures live budgets are judged on: journey windows, services and content so far. */
  private figures(s: SimSnapshot): LiveFigures {
    const journeys: LiveFigures['journeys'] = {};
    for (const j of s.journeys) {
      const f = this.tracks.figures(j.name);
      if (f) journeys[j.name] = windowResult(f);
    }
    const services: NonNullable<LiveFigures['services']> = {};
    for (const svc of s.services) services[svc.name] = { ...svc, workers: 0, served: 0, rejected: 0 };
    return { journeys, services, cdn: s.cdn, p2p: s.p2p, streams: s.streams };
  }
}

/** CDN hit ratio (over all edges), P2P byte shares and the worst stream lag p99, when modelled. */
export function contentOf(
  x:
    | { cdn?: Record<string, CdnEdgeResult>; p2p?: RunResult['p2p']; streams?: Record<string, StreamResult> }
    | undefined,
): ContentView | undefined {
  if (!x) return undefined;
  const out: ContentView = {};
  const edges = Object.values(x.cdn ?? {});
  const requests = edges.reduce((a, e) => a + e.requests, 0);
  if (requests > 0) out.cdnHitRatio = edges.reduce((a, e) => a + e.hits, 0) / requests;
  if (x.p2p) out.p2p = { server: x.p2p.serverShare, peer: x.p2p.peerShare, cache: x.p2p.cacheShare };
  const lags = Object.values(x.streams ?? {}).map((st) => st.lagSeconds.p99);
  if (lags.length > 0) out.streamLag = Math.max(...lags);
  return Object.keys(out).length > 0 ? out : undefined;
}
