/**
 * Turns the run handle's snapshots into {@link DashboardView}s: keeps short histories for the
 * sparklines, measures events per wall-clock second and colours budgets. Snapshot fields beyond the
 * foundation's (breakers, faults, content) are read defensively, so the dashboard works with any
 * model that reports them and simply omits what a snapshot does not carry.
 */
import { holds } from '../../results/budgets.js';
import type { RunResult } from '../../results/run-result.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { SimSnapshot } from '../../sim/run.js';
import type { BudgetState, ContentView, DashboardView, FaultView, JourneyView, ServiceView } from './view.js';

/** History points kept per series (the widest sparkline shows fewer). */
const HISTORY = 240;

/** A budget as the scenario states it (read defensively: older scenarios have none). */
export interface BudgetSpec {
  expr: string;
  subject: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  limit: number;
}

type Loose = Record<string, unknown>;

const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The scenario's budgets, or none when the scenario language does not have them yet. */
export function scenarioBudgets(scenario: Scenario): BudgetSpec[] {
  const b = (scenario as unknown as Loose).budgets;
  if (!Array.isArray(b)) return [];
  return b.filter(
    (x): x is BudgetSpec =>
      isObj(x) &&
      typeof x.subject === 'string' &&
      typeof x.metric === 'string' &&
      typeof x.limit === 'number',
  );
}

interface JourneyTrack {
  throughput: number[];
  p99: number[];
  lastCount: number;
  lastTime: number;
  lastRep: number;
  rate: number;
}

/** Accumulates snapshots of one run into views. */
export class DashboardTracker {
  private readonly budgets: BudgetSpec[];
  private readonly faultsPlanned: FaultView[];
  private last: SimSnapshot | undefined;
  private readonly tracks = new Map<string, JourneyTrack>();
  private lastEvents = 0;
  private lastWall = 0;
  private eventsPerSec = 0;
  private status: DashboardView['status'] = 'running';
  private final: RunResult | undefined;

  constructor(
    private readonly scenario: Scenario,
    private readonly seed: number,
    private readonly replications: number,
  ) {
    this.budgets = scenarioBudgets(scenario);
    this.faultsPlanned = plannedFaults(scenario);
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
    for (const j of s.journeys) {
      let t = this.tracks.get(j.name);
      if (!t) {
        t = { throughput: [], p99: [], lastCount: 0, lastTime: 0, lastRep: s.replication, rate: 0 };
        this.tracks.set(j.name, t);
      }
      const given = num((j as unknown as Loose).throughput);
      if (given !== undefined) t.rate = given;
      else if (t.lastRep === s.replication && s.time > t.lastTime && j.count >= t.lastCount)
        t.rate = (j.count - t.lastCount) / (s.time - t.lastTime);
      t.lastCount = j.count;
      t.lastTime = s.time;
      t.lastRep = s.replication;
      push(t.throughput, t.rate);
      push(t.p99, j.p99);
    }
    this.last = s;
  }

  /** Marks the run paused, stopping (after `q`) or running again. */
  setStatus(status: DashboardView['status']): void {
    this.status = status;
  }

  /** Ends tracking with the final result: budgets then come from the result itself. */
  finish(result: RunResult): void {
    this.final = result;
    this.status = result.partial ? 'stopped' : 'done';
  }

  /** The current frame's data. */
  view(): DashboardView {
    const s = this.last;
    const r = this.final;
    const journeys: JourneyView[] = (s?.journeys ?? []).map((j) => {
      const t = this.tracks.get(j.name);
      const errorRate = j.count > 0 ? j.errors / j.count : 0;
      const live = { p50: j.p50, p99: j.p99, errorRate, throughput: t?.rate ?? 0 };
      const fin = r?.journeys[j.name];
      const row = fin
        ? {
            p50: fin.latency.p50,
            p99: fin.latency.p99,
            errorRate: fin.errorRate,
            throughput: fin.throughput,
          }
        : live;
      const { state, breaches } = r ? resultBudget(r, j.name) : liveBudget(this.budgets, j.name, row);
      return {
        name: j.name,
        ...row,
        count: fin?.count ?? j.count,
        budget: state,
        breaches,
        history: { throughput: t?.throughput ?? [], p99: t?.p99 ?? [] },
      };
    });
    if (r && journeys.length === 0) {
      for (const [name, fin] of Object.entries(r.journeys)) {
        const { state, breaches } = resultBudget(r, name);
        journeys.push({
          name,
          throughput: fin.throughput,
          p50: fin.latency.p50,
          p99: fin.latency.p99,
          errorRate: fin.errorRate,
          count: fin.count,
          budget: state,
          breaches,
          history: { throughput: [], p99: [] },
        });
      }
    }
    const services: ServiceView[] = (s?.services ?? []).map((svc) => {
      // The final frame shows the result's figures (over the measurement window, all replications).
      const fin = r?.services?.[svc.name];
      const row: ServiceView = {
        name: svc.name,
        replicas: fin?.replicas ?? svc.replicas,
        utilization: fin?.utilization ?? svc.utilization,
        queue: fin?.queue ?? svc.queue,
      };
      const breaker = breakerState(fin?.breaker ?? (svc as unknown as Loose).breaker);
      if (breaker) row.breaker = breaker;
      return row;
    });
    const time = s?.time ?? 0;
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
      services,
      faults: r?.faults ?? firedFaults(s, this.faultsPlanned, time),
    };
    const content = s ? readContent(s) : undefined;
    if (content) view.content = content;
    return view;
  }
}

/** The live verdict of `journey`'s budgets on the figures shown in its row. */
export function liveBudget(
  budgets: readonly BudgetSpec[],
  journey: string,
  row: { p50: number; p99: number; errorRate: number; throughput: number },
): { state: BudgetState; breaches: string[] } {
  const mine = budgets.filter((b) => b.subject === journey);
  if (mine.length === 0) return { state: 'none', breaches: [] };
  const breaches: string[] = [];
  let known = 0;
  for (const b of mine) {
    const value =
      b.metric === 'errors'
        ? row.errorRate
        : b.metric === 'throughput'
          ? row.throughput
          : b.metric === 'p50' || b.metric === 'p99'
            ? row[b.metric]
            : undefined;
    // No figure yet (no success to measure latency on) says nothing about the budget.
    if (value === undefined || !Number.isFinite(value)) continue;
    known++;
    if (!holds(value, b.op, b.limit)) breaches.push(b.expr);
  }
  if (breaches.length > 0) return { state: 'fail', breaches };
  return { state: known > 0 ? 'pass' : 'unsure', breaches };
}

function push(xs: number[], x: number): void {
  xs.push(x);
  if (xs.length > HISTORY) xs.splice(0, xs.length - HISTORY);
}

/** A journey's verdict from a finished result's budgets (matched by the `journey.` prefix). */
export function resultBudget(r: RunResult, journey: string): { state: BudgetState; breaches: string[] } {
  const mine = r.budgets.filter((b) => b.expr.trim().startsWith(`${journey}.`));
  if (mine.length === 0) return { state: 'none', breaches: [] };
  const breaches = mine.filter((b) => b.pass === false).map((b) => b.expr);
  if (breaches.length > 0) return { state: 'fail', breaches };
  return { state: mine.some((b) => b.pass === null) ? 'unsure' : 'pass', breaches };
}

/** The current state of a breaker reported as a string or as a list of `[t, state]` transitions. */
function breakerState(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length > 0) {
    const last = v[v.length - 1];
    if (Array.isArray(last) && typeof last[1] === 'string') return last[1];
    return 'closed';
  }
  if (isObj(v) && typeof v.state === 'string') return v.state;
  return undefined;
}

/** Faults the scenario plans, labelled for markers (empty when the language has no faults yet). */
function plannedFaults(scenario: Scenario): FaultView[] {
  const f = (scenario as unknown as Loose).faults;
  if (!Array.isArray(f)) return [];
  return f
    .filter((x): x is Loose => isObj(x) && typeof x.at === 'number')
    .map((x) => ({ at: x.at as number, for: num(x.for) ?? 0, label: faultLabel(x) }))
    .sort((a, b) => a.at - b.at);
}

/** `slow auth +200ms`, `crash stores.playlists ×2`: a fault as its marker reads. */
export function faultLabel(x: Loose): string {
  const kind = typeof x.kind === 'string' ? x.kind : 'fault';
  const what = [x.target, x.region, x.a && x.b ? `${x.a}<->${x.b}` : undefined].find(
    (v) => typeof v === 'string',
  );
  const extra =
    kind === 'slow' && num(x.add) !== undefined
      ? ` +${Math.round((x.add as number) * 1000)}ms`
      : kind === 'errors' && num(x.rate) !== undefined
        ? ` ${Math.round((x.rate as number) * 100)}%`
        : kind === 'crash' && num(x.count) !== undefined
          ? ` ×${x.count}`
          : '';
  return `${kind}${what ? ` ${what}` : ''}${extra}`;
}

/** Faults fired by `time`: the snapshot's own list when it has one, else the scenario's plan. */
function firedFaults(s: SimSnapshot | undefined, planned: FaultView[], time: number): FaultView[] {
  const own = s ? (s as unknown as Loose).faults : undefined;
  if (Array.isArray(own)) {
    return own
      .filter((x): x is Loose => isObj(x) && typeof x.at === 'number')
      .map((x) => ({
        at: x.at as number,
        for: num(x.for) ?? 0,
        label: typeof x.label === 'string' ? x.label : faultLabel(x),
      }));
  }
  return planned.filter((f) => f.at <= time);
}

/** CDN hit ratio, P2P shares and stream lag from a snapshot that carries them. */
export function readContent(s: unknown): ContentView | undefined {
  if (!isObj(s)) return undefined;
  const out: ContentView = {};
  const cdn = s.cdn;
  if (isObj(cdn)) {
    const direct = num(cdn.hitRatio);
    if (direct !== undefined) out.cdnHitRatio = direct;
    else {
      let hits = 0;
      let requests = 0;
      for (const e of Object.values(cdn)) {
        if (isObj(e)) {
          hits += num(e.hits) ?? 0;
          requests += num(e.requests) ?? 0;
        }
      }
      if (requests > 0) out.cdnHitRatio = hits / requests;
    }
  }
  const p2p = s.p2p;
  if (isObj(p2p) && num(p2p.serverShare) !== undefined) {
    out.p2p = {
      server: num(p2p.serverShare) ?? 0,
      peer: num(p2p.peerShare) ?? 0,
      cache: num(p2p.cacheShare) ?? 0,
    };
  }
  const streams = s.streams;
  if (isObj(streams) || Array.isArray(streams)) {
    let worst: number | undefined;
    for (const st of Object.values(streams)) {
      if (!isObj(st)) continue;
      const lag = isObj(st.lagSeconds) ? num(st.lagSeconds.p99) : (num(st.lag) ?? num(st.lagSeconds));
      if (lag !== undefined) worst = Math.max(worst ?? 0, lag);
    }
    if (worst !== undefined) out.streamLag = worst;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
