/**
 * Why a `--predict` comparison is not like for like: the simulation runs the scenario as written
 * (its arrivals, its whole duration with faults, spikes and scaling), while `--rate` or a shorter
 * `--duration` changed what was loaded.
 */
import type { Scenario } from '../../scenarios/schema.js';

/**
 * The reason the measured run and the scenario's simulation differ in what they offered, or
 * undefined when they offered the same: a `--rate` replaced the arrivals, or a `--duration` shorter
 * than the scenario cut off faults, a time-varying arrival process or autoscaling.
 */
export function predictWindowMismatch(
  scenario: Pick<Scenario, 'users' | 'duration' | 'faults' | 'services'>,
  s: { rate: number | undefined; duration: number | undefined },
): string | undefined {
  if (s.rate !== undefined)
    return `--rate ${s.rate}/s replaced the scenario's arrivals; the simulation runs the scenario's own`;
  if (s.duration === undefined || s.duration >= scenario.duration) return undefined;
  const varying = [
    scenario.faults.length > 0 ? 'faults' : '',
    scenario.users.arrivals.kind !== 'poisson' && scenario.users.arrivals.kind !== 'closed'
      ? `${scenario.users.arrivals.kind} arrivals`
      : '',
    Object.values(scenario.services).some((v) => v.autoscale) ? 'autoscaling' : '',
  ].filter(Boolean);
  if (varying.length === 0) return undefined;
  return `--duration ${s.duration} s loaded the first ${s.duration} s of a ${scenario.duration} s scenario whose ${varying.join(', ')} the simulation runs in full`;
}
