/**
 * Flow metrics in k6 points, as the generated script emits them: `journey_failed` (one per journey,
 * `cause` tag when it failed), `journey_duration` (successful journeys), `step_failed` (one per
 * step attempt, sent or not), and `http_req_duration` and `checks` tagged `journey` and `step`.
 * Lined up by those tags into backline's per-journey and per-step results (flows named
 * `session` are the session's steps).
 */
import { failedCount } from '../../results/failed-count.js';
import { LatencyHistogram, round } from '../../results/histogram.js';
import type { CheckCount, StepResult } from '../../results/run-result.js';
import { StepAcc, stepResult } from '../flow/stats.js';

/** One journey's flow outcome. */
export interface FlowAcc {
  count: number;
  latency: LatencyHistogram;
  errors: Record<string, number>;
  steps: Map<string, StepAcc>;
}

const bump = (o: Record<string, number>, k: string) => {
  o[k] = (o[k] ?? 0) + 1;
};

/** Accumulates flow points per journey and step. */
export class FlowPoints {
  /** By journey name (and `session`), in the order first seen. */
  readonly flows = new Map<string, FlowAcc>();

  private flow(name: string): FlowAcc {
    let f = this.flows.get(name);
    if (!f) {
      f = { count: 0, latency: new LatencyHistogram(), errors: Object.create(null), steps: new Map() };
      this.flows.set(name, f);
    }
    return f;
  }

  private step(journey: string, name: string): StepAcc {
    const f = this.flow(journey);
    let s = f.steps.get(name);
    if (!s) {
      s = new StepAcc(name);
      f.steps.set(name, s);
    }
    return s;
  }

  /**
   * Takes one point if it is a flow metric (true), else leaves it (false). `value` is already
   * checked to be a finite, non-negative number.
   */
  add(metric: string, tags: Record<string, string>, value: number): boolean {
    const journey = typeof tags.journey === 'string' ? tags.journey : undefined;
    const stepName = typeof tags.step === 'string' ? tags.step : undefined;
    if (journey === undefined) return false;
    switch (metric) {
      case 'journey_failed': {
        const f = this.flow(journey);
        f.count++;
        if (value >= 0.5) bump(f.errors, typeof tags.cause === 'string' ? tags.cause : 'error');
        return true;
      }
      case 'journey_duration':
        this.flow(journey).latency.record(value / 1000);
        return true;
      case 'step_failed': {
        if (stepName === undefined) return false;
        const s = this.step(journey, stepName);
        s.count++;
        if (value >= 0.5) bump(s.errors, typeof tags.cause === 'string' ? tags.cause : 'error');
        return true;
      }
      case 'http_req_duration': {
        if (stepName === undefined) return false;
        const s = this.step(journey, stepName);
        const status = Number(tags.status ?? 0);
        if (status > 0) {
          s.latency.record(value / 1000);
          bump(s.statuses, String(status));
        }
        return true;
      }
      case 'checks': {
        if (stepName === undefined || typeof tags.check !== 'string') return false;
        const s = this.step(journey, stepName);
        let c = s.checks.get(tags.check);
        if (!c) {
          c = { pass: 0, fail: 0 };
          s.checks.set(tags.check, c);
        }
        if (value >= 0.5) c.pass++;
        else c.fail++;
        return true;
      }
      default:
        return false;
    }
  }

  /** Per-step results of `flow`, in the order steps were first seen (the flow's order). */
  steps(flow: string): StepResult[] {
    return [...(this.flows.get(flow)?.steps.values() ?? [])].map(stepResult);
  }

  /** All checks of `flow` added up, or undefined when it ran none. */
  checks(flow: string): CheckCount | undefined {
    let pass = 0;
    let fail = 0;
    for (const s of this.flows.get(flow)?.steps.values() ?? [])
      for (const c of s.checks.values()) {
        pass += c.pass;
        fail += c.fail;
      }
    return pass + fail > 0 ? { pass, fail } : undefined;
  }

  /** The error share of a flow's journeys. */
  static errorRate(f: FlowAcc): number {
    const failed = failedCount(f);
    return round(f.count ? failed / f.count : 0);
  }
}
