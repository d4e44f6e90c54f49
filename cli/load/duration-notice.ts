/**
 * The notice every command that runs or writes a load prints when `load.maxDuration` ends it before
 * the duration asked for (`load`, `k6`): the engine and k6's script clamp to it, which alone would
 * look like a run of the full length.
 */
import { durationCut, type PlanOptions } from '../../loadtests/plan.js';
import type { Scenario } from '../../scenarios/load.js';

/** What to tell the user when `load.maxDuration` ends the load early; undefined when it does not. */
export function durationNotice(
  scenario: Pick<Scenario, 'users' | 'duration' | 'load'>,
  s: Pick<PlanOptions, 'rate' | 'duration'> = {},
): string | undefined {
  const cut = durationCut(scenario, { rate: s.rate, duration: s.duration });
  if (!cut) return undefined;
  const secs = (x: number) => `${Number(x.toFixed(3))} s`;
  const what = { duration: '--duration', profile: 'the load profile', scenario: "the scenario's duration" }[
    cut.by
  ];
  return `${what} ${cut.by === 'duration' ? secs(cut.asked) : `(${secs(cut.asked)})`} is longer than load.maxDuration (${secs(cut.max)}): the run stops at ${secs(cut.max)}; raise load.maxDuration in the scenario to run longer`;
}
