/**
 * What flows measure beyond the journey: per step latency (HDR), status codes, errors by cause and
 * check pass counts, per journey check totals (like k6's `checks` rate), and status codes per
 * second over the whole run. Turned into the additive `steps`/`checks` fields of a RunResult.
 */
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { CheckCount, StatusTimeline, StepResult } from '../../results/run-result.js';

/** One step's accumulators (also filled from k6 points by `loadtests/k6/flow-points.ts`). */
export class StepAcc {
  count = 0;
  readonly latency = new LatencyHistogram();
  // No prototype: causes and codes read from merged files may be named `__proto__`.
  readonly statuses: Record<string, number> = Object.create(null);
  readonly errors: Record<string, number> = Object.create(null);
  readonly checks = new Map<string, CheckCount>();

  constructor(readonly name: string) {}
}

const bump = (o: Record<string, number>, k: string) => {
  o[k] = (o[k] ?? 0) + 1;
};

const sorted = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A step's accumulators as a result. */
export function stepResult(s: StepAcc): StepResult {
  const r: StepResult = {
    name: s.name,
    count: s.count,
    statuses: sorted(s.statuses),
    errors: sorted(s.errors),
    latency: s.latency.summary(),
    hdr: s.latency.encode(),
    sumSeconds: round(s.latency.sum, 9),
  };
  if (s.checks.size > 0) r.checks = Object.fromEntries(s.checks);
  return r;
}

/** One step's accumulators as plain data (crosses `postMessage` from a worker thread). */
export interface StepState {
  count: number;
  hdr: string;
  sum: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  checks: Record<string, CheckCount>;
}

/** A {@link FlowStats} as plain data; states of worker threads merge exactly. */
export interface FlowStatsState {
  flows: Record<string, StepState[]>;
  timeline: { t: number[]; codes: Record<string, number[]> };
}

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
};

/**
 * Adds another step's counts into `s`: the histogram bucket by bucket (with its exact sum, and its
 * exact max in ms when known: a decoded histogram's max is rounded to its bucket), counts summed.
 */
export function addStep(s: StepAcc, from: StepState, maxMs?: number): void {
  s.count += from.count;
  const h = LatencyHistogram.decode(from.hdr, from.sum);
  if (maxMs !== undefined && h.count > 0) h.maxSeconds = maxMs / 1000;
  s.latency.merge(h);
  addInto(s.statuses, from.statuses);
  addInto(s.errors, from.errors);
  for (const [k, c] of Object.entries(from.checks)) {
    const have = s.checks.get(k);
    if (have) {
      have.pass += c.pass;
      have.fail += c.fail;
    } else s.checks.set(k, { pass: c.pass, fail: c.fail });
  }
}

/** Step and check accumulators of one run, by flow name (a journey, or `session`). */
export class FlowStats {
  private readonly flows = new Map<string, StepAcc[]>();
  private readonly timeline: { t: number[]; codes: Map<string, number[]> } = { t: [], codes: new Map() };

  constructor(
    flows: Record<string, readonly string[]>,
    /** Seconds per status-timeline interval. */
    readonly interval = 1,
  ) {
    for (const [name, steps] of Object.entries(flows))
      this.flows.set(
        name,
        steps.map((s) => new StepAcc(s)),
      );
  }

  private step(flow: string, i: number): StepAcc {
    const s = this.flows.get(flow)?.[i];
    if (s === undefined) throw new Error(`no step ${i} in flow ${flow}`);
    return s;
  }

  /** A response of step `i` at `t` seconds into the run; `measured` is false in the warm-up. */
  response(flow: string, i: number, status: number, latencyMs: number, t: number, measured: boolean): void {
    this.status(String(status), t);
    if (!measured) return;
    const s = this.step(flow, i);
    s.count++;
    s.latency.record(latencyMs / 1000);
    bump(s.statuses, String(status));
  }

  /** A step that failed (transport error, failed check or capture, refused render). */
  error(flow: string, i: number, cause: string, t: number, measured: boolean, sent: boolean): void {
    if (!sent) this.status(cause, t);
    if (!measured) return;
    const s = this.step(flow, i);
    if (!sent) s.count++;
    bump(s.errors, cause);
  }

  /** One check's outcome. */
  check(flow: string, i: number, name: string, pass: boolean, measured: boolean): void {
    if (!measured) return;
    const s = this.step(flow, i);
    let c = s.checks.get(name);
    if (c === undefined) {
      c = { pass: 0, fail: 0 };
      s.checks.set(name, c);
    }
    if (pass) c.pass++;
    else c.fail++;
  }

  private status(code: string, t: number, n = 1): void {
    const slot = Math.max(0, Math.floor(t / this.interval));
    while (this.timeline.t.length <= slot) {
      this.timeline.t.push(round(this.timeline.t.length * this.interval, 3));
      for (const series of this.timeline.codes.values()) series.push(0);
    }
    let series = this.timeline.codes.get(code);
    if (series === undefined) {
      series = new Array(this.timeline.t.length).fill(0);
      this.timeline.codes.set(code, series);
    }
    series[slot] += n;
  }

  /** Everything recorded, as plain data. */
  state(): FlowStatsState {
    const flows: Record<string, StepState[]> = {};
    for (const [name, steps] of this.flows)
      flows[name] = steps.map((s) => ({
        count: s.count,
        hdr: s.latency.encode(),
        sum: s.latency.sum,
        statuses: { ...s.statuses },
        errors: { ...s.errors },
        checks: Object.fromEntries([...s.checks].map(([k, c]) => [k, { ...c }])),
      }));
    return {
      flows,
      timeline: { t: [...this.timeline.t], codes: Object.fromEntries(this.timeline.codes) },
    };
  }

  /** Adds another thread's `state` (same flows and steps): histograms bucket by bucket, counts summed. */
  merge(state: FlowStatsState): void {
    for (const [name, steps] of Object.entries(state.flows))
      steps.forEach((from, i) => {
        addStep(this.step(name, i), from);
      });
    const { t, codes } = state.timeline;
    for (const [code, series] of Object.entries(codes))
      series.forEach((n, slot) => {
        if (n > 0) this.status(code, t[slot], n);
      });
  }

  /** Per-step results of `flow`. */
  steps(flow: string): StepResult[] {
    return (this.flows.get(flow) ?? []).map(stepResult);
  }

  /** All checks of `flow` added up (undefined when it has none). */
  checks(flow: string): CheckCount | undefined {
    let pass = 0;
    let fail = 0;
    let any = false;
    for (const s of this.flows.get(flow) ?? [])
      for (const c of s.checks.values()) {
        any = true;
        pass += c.pass;
        fail += c.fail;
      }
    return any ? { pass, fail } : undefined;
  }

  /** Status codes (and unsent causes) per interval. */
  statusTimeline(): StatusTimeline {
    return {
      interval: this.interval,
      t: [...this.timeline.t],
      codes: Object.fromEntries([...this.timeline.codes].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
}
