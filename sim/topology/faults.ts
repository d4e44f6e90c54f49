/**
 * Faults on the timeline: what each one is called in results and how long it lasts. The engine
 * applies them (`fault-injector.ts`); they nest, so two overlapping faults on one target add up
 * (two error faults of 10 % give 20 %, a crash inside an outage recovers only when both ended).
 */
import type { FaultMark } from '../../results/run-result.js';
import type { Fault } from '../../scenarios/schema.js';

/** A short human label, e.g. `crash auth ×2`, `errors license 20 %`. */
export function faultLabel(f: Fault): string {
  switch (f.kind) {
    case 'crash':
      return `crash ${f.target}${Number.isFinite(f.count) ? ` ×${f.count}` : ''}`;
    case 'outage':
      return `outage ${f.region}`;
    case 'slow':
      return `slow ${f.target} +${round(f.add * 1000)}ms`;
    case 'errors':
      return `errors ${f.target} ${round(f.rate * 100)}%`;
    case 'partition':
      return `partition ${f.a}<->${f.b}`;
  }
}

/** The marks a run reports, in time order. */
export function faultMarks(faults: readonly Fault[]): FaultMark[] {
  return faults
    .map((f) => ({ at: f.at, for: f.for, label: faultLabel(f) }))
    .sort((a, b) => a.at - b.at || (a.label < b.label ? -1 : 1));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
