/**
 * Checks that need more than one section: names used in steps, routes, faults, budgets and the load
 * section exist; call graphs have no cycles; regions are declared; sizes stay within what a run can
 * hold. They run even when some fields failed, so one load reports every mistake; values are
 * therefore read defensively (a field may hold raw input, parsed output or a failure marker).
 *
 * Each group of checks is its own module (`call-checks.ts`, `region-checks.ts`, `fault-checks.ts`,
 * `budget-checks.ts`, `load-checks.ts`, `size-checks.ts`, `p2p-checks.ts`); this one runs them in a
 * fixed order, so issues come out in the same order every time.
 */
import { checkBudgets } from './budget-checks.js';
import { checkCalls, checkCycles, checkReserved, checkSteps, checkStreams } from './call-checks.js';
import { checkFaults } from './fault-checks.js';
import { checkLoad } from './load-checks.js';
import { namesOf } from './names.js';
import { checkP2p } from './p2p-checks.js';
import { type Ctx, isRecord } from './raw-values.js';
import { checkRegions } from './region-checks.js';
import { checkSizes } from './size-checks.js';
import { formatDuration } from './units.js';

/** Every cross-section check; attach with `superRefine(checkReferences, { when: () => true })`. */
export function checkReferences(value: unknown, ctx: Ctx): void {
  if (!isRecord(value)) return;
  const { duration: total, warmup } = value;
  if (typeof total === 'number' && typeof warmup === 'number' && warmup >= total) {
    ctx.addIssue({
      code: 'custom',
      path: ['warmup'],
      message: `warmup (${formatDuration(warmup)}) must be shorter than duration (${formatDuration(total)})`,
    });
  }
  const n = namesOf(value);
  checkReserved(n, ctx);
  checkSteps(value, n, ctx);
  checkCalls(n, ctx);
  checkCycles(n, ctx);
  checkRegions(value, n, ctx);
  checkFaults(value, n, ctx);
  checkBudgets(value, n, ctx);
  checkStreams(value, n, ctx);
  checkLoad(value, n, ctx);
  checkSizes(value, ctx);
  checkP2p(value, ctx);
}
