/**
 * Flow measurements into a RunResult: per journey its steps and check totals, the session's steps
 * as a flow of their own, and status codes over time. Additive: single-request runs are unchanged.
 */
import type { RunResult } from '../../results/run-result.js';
import { SESSION } from './runner.js';
import type { FlowStats } from './stats.js';

/** Adds `stats` to `result` (in place). */
export function addFlowResults(result: RunResult, stats: FlowStats): void {
  for (const [name, j] of Object.entries(result.journeys)) {
    j.steps = stats.steps(name);
    const checks = stats.checks(name);
    if (checks) j.checks = checks;
  }
  const session = stats.steps(SESSION);
  if (session.length > 0) result.session = { steps: session, checks: stats.checks(SESSION) };
  result.statusTimeline = stats.statusTimeline();
}
