/**
 * The flow parts of many runners' RunResults merged exactly: each journey's steps (matched by name,
 * in the order first seen, which is flow order) with their HDR histograms merged bucket by bucket,
 * status codes, errors and per-check counts summed; journey and session check totals summed (pass
 * rates are recomputed from the counts by the budgets); status timelines added slot by slot.
 */
import type { CheckCount, RunResult, StepResult } from '../../results/run-result.js';
import { addStep, FlowStats, StepAcc, stepResult } from '../flow/stats.js';

/** One flow's steps by name, in the order first seen. */
type Steps = Map<string, StepAcc>;

const addChecks = (into: CheckCount | undefined, c: CheckCount | undefined): CheckCount | undefined =>
  c === undefined ? into : { pass: (into?.pass ?? 0) + c.pass, fail: (into?.fail ?? 0) + c.fail };

function addSteps(into: Steps, steps: readonly StepResult[]): void {
  for (const s of steps) {
    let acc = into.get(s.name);
    if (acc === undefined) {
      acc = new StepAcc(s.name);
      into.set(s.name, acc);
    }
    // Files written before `sumSeconds` existed: the mean (rounded to 1e-6 ms) times the count.
    const responses = Object.values(s.statuses).reduce((a, n) => a + n, 0);
    const sum = s.sumSeconds ?? (s.latency.mean * responses) / 1000;
    addStep(acc, { ...s, sum, checks: s.checks ?? {} }, s.latency.max);
  }
}

/** Accumulates the flow parts of RunResults. */
export class FlowMerge {
  private readonly journeys = new Map<string, { steps: Steps; checks?: CheckCount }>();
  private session: { steps: Steps; checks?: CheckCount } | undefined;
  private timeline: FlowStats | undefined;
  /** What was set aside, for the user. */
  readonly notes: string[] = [];

  /** Adds one runner's result (`file` names it in notes). */
  add(r: RunResult, file: string): void {
    for (const [name, j] of Object.entries(r.journeys)) {
      if (j.steps === undefined && j.checks === undefined) continue;
      let acc = this.journeys.get(name);
      if (acc === undefined) {
        acc = { steps: new Map() };
        this.journeys.set(name, acc);
      }
      addSteps(acc.steps, j.steps ?? []);
      acc.checks = addChecks(acc.checks, j.checks);
    }
    if (r.session) {
      this.session ??= { steps: new Map() };
      addSteps(this.session.steps, r.session.steps);
      this.session.checks = addChecks(this.session.checks, r.session.checks);
    }
    const t = r.statusTimeline;
    if (t) {
      this.timeline ??= new FlowStats({}, t.interval);
      if (t.interval === this.timeline.interval) this.timeline.merge({ flows: {}, timeline: t });
      else
        this.notes.push(
          `${file}: status timeline of ${t.interval} s intervals set aside (the first runner's are ${this.timeline.interval} s)`,
        );
    }
  }

  /** `steps` and `checks` of journey `name`, as a JourneyResult carries them (empty when none). */
  journey(name: string): { steps?: StepResult[]; checks?: CheckCount } {
    const acc = this.journeys.get(name);
    if (acc === undefined) return {};
    return {
      steps: [...acc.steps.values()].map(stepResult),
      ...(acc.checks ? { checks: acc.checks } : {}),
    };
  }

  /** The merged `session` and `statusTimeline` fields of the RunResult (absent when no input had them). */
  extras(): Pick<RunResult, 'session' | 'statusTimeline'> {
    const out: Pick<RunResult, 'session' | 'statusTimeline'> = {};
    if (this.session)
      out.session = {
        steps: [...this.session.steps.values()].map(stepResult),
        ...(this.session.checks ? { checks: this.session.checks } : {}),
      };
    if (this.timeline) out.statusTimeline = this.timeline.statusTimeline();
    return out;
  }
}
