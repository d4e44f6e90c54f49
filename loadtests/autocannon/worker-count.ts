/**
 * How many generator threads a run gets when `--workers` is not given: the machine's cores, minus
 * one when the twin runs beside the generator (issue 11's rule, as k6 and wrk use every core), but
 * no more than the load needs. A worker thread
 * costs start-up (it loads the plan's modules: zod, the histograms; faker only when a template uses it) — measured 0.5 s on an
 * idle core and 3–7 s at load average 18 on the 2-core development machine — so a short or light
 * run stays on this thread rather than spend its first seconds starting threads.
 */
import type { RequestPlan } from '../plan.js';
import { peakRate } from '../profile.js';

/** Requests/s one thread is given before a second is worth starting (well below one thread's ceiling). */
export const RATE_PER_WORKER = 5000;
/** Closed-model users one thread is given (the flows bench runs 50 users on one thread). */
export const USERS_PER_WORKER = 50;
/** Runs shorter than this (seconds) use one thread: start-up would be a large share of them. */
export const MIN_SECONDS_FOR_WORKERS = 10;

/** The chosen count and why, for the user (printed) and the RunResult. */
export interface WorkerChoice {
  count: number;
  why: string;
}

/** The default `--workers` for `plan` on a machine with `cores` cores. */
export function chooseWorkers(
  plan: Pick<RequestPlan, 'schedule'>,
  machine: { cores: number; twin: boolean },
): WorkerChoice {
  const max = Math.max(1, machine.cores - (machine.twin ? 1 : 0));
  const cores = `${machine.cores} core${machine.cores === 1 ? '' : 's'}${machine.twin ? ' minus one for the twin' : ''}`;
  if (max === 1) return { count: 1, why: cores };
  const s = plan.schedule;
  if (s.duration < MIN_SECONDS_FOR_WORKERS)
    return {
      count: 1,
      why: `${cores}; a ${s.duration} s run is shorter than ${MIN_SECONDS_FOR_WORKERS} s, threads would spend it starting`,
    };
  if (s.kind === 'open') {
    const peak = peakRate(s.phases);
    const need = Math.max(1, Math.ceil(peak / RATE_PER_WORKER));
    return need >= max
      ? { count: max, why: cores }
      : {
          count: need,
          why: `${cores}; peak ${Math.round(peak)}/s needs ${need} at ${RATE_PER_WORKER}/s each`,
        };
  }
  const need = Math.max(1, Math.ceil(s.users / USERS_PER_WORKER));
  return need >= max
    ? { count: max, why: cores }
    : { count: need, why: `${cores}; ${s.users} users need ${need} at ${USERS_PER_WORKER} each` };
}
