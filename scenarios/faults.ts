/**
 * Faults on a timeline: from `at` for `for`, crash replicas/shards/instances, take a region out, slow
 * a service down, make it fail, or cut two regions apart. Written as one mapping per fault whose kind
 * is its key: `{ at: 4m, for: 2m, crash: stores.playlists, shards: 2 }`.
 */
import * as z from 'zod';
import { count, duration, section, share } from './fields.js';
import { splitPair } from './regions.js';
import { listOf } from './suggest.js';

/** A fault as the simulator reads it. `count` of a crash is filled in (all) when not written. */
export type Fault =
  | { at: number; for: number; kind: 'crash'; target: string; count: number }
  | { at: number; for: number; kind: 'outage'; region: string }
  | { at: number; for: number; kind: 'slow'; target: string; add: number }
  | { at: number; for: number; kind: 'errors'; target: string; rate: number }
  | { at: number; for: number; kind: 'partition'; a: string; b: string };

/** The fault kinds, each the key that names its target. */
export const FAULT_KINDS = ['crash', 'outage', 'slow', 'errors', 'partition'] as const;

/** Keys that say how many a crash takes down; which one fits depends on the target. */
export const CRASH_COUNTS = ['count', 'replicas', 'shards', 'instances'] as const;

/** Which extra keys each kind takes. */
const EXTRAS: Record<(typeof FAULT_KINDS)[number], readonly string[]> = {
  crash: CRASH_COUNTS,
  outage: [],
  slow: ['add'],
  errors: ['rate'],
  partition: [],
};

const name = (what: string) => z.string({ error: `expected a ${what}` });
const howMany = (label: string) => count(label, { integer: true, min: 1 });

/** `count` of a crash when the author did not say: every unit (the loader fills in the real size). */
export const ALL = -1;

/** One fault mapping. */
export const FaultSchema = section('fault', {
  at: duration('at'),
  for: duration('for', { positive: true }),
  crash: name('target like `auth` or `stores.playlists`').optional(),
  outage: name('region').optional(),
  slow: name('service').optional(),
  errors: name('service').optional(),
  partition: name('region pair like `eu-west<->us-east`').optional(),
  count: howMany('count').optional(),
  replicas: howMany('replicas').optional(),
  shards: howMany('shards').optional(),
  instances: howMany('instances').optional(),
  add: duration('add', { positive: true }).optional(),
  rate: share('rate').optional(),
}).transform((f, ctx): Fault => {
  const kinds = FAULT_KINDS.filter((k) => f[k] !== undefined);
  if (kinds.length !== 1) {
    // An unknown key (`outgae:`) already explains a missing kind.
    if (kinds.length === 0 && ctx.issues.length > 0) return z.NEVER;
    ctx.addIssue({
      code: 'custom',
      message:
        kinds.length === 0
          ? `a fault needs one of ${listOf(FAULT_KINDS)}, e.g. \`{ at: 1m, for: 30s, outage: eu-west }\``
          : `a fault has one kind; this one has ${listOf(kinds)}`,
    });
    return z.NEVER;
  }
  const kind = kinds[0];
  let ok = true;
  for (const extra of ['count', 'replicas', 'shards', 'instances', 'add', 'rate'] as const) {
    if (f[extra] !== undefined && !EXTRAS[kind].includes(extra)) {
      ok = false;
      const fits = FAULT_KINDS.filter((k) => EXTRAS[k].includes(extra));
      ctx.addIssue({
        code: 'custom',
        path: [extra],
        params: { atKey: true },
        message: `\`${extra}\` belongs to ${listOf(fits)} faults, not \`${kind}\``,
      });
    }
  }
  const counts = CRASH_COUNTS.filter((k) => f[k] !== undefined);
  if (counts.length > 1) {
    ok = false;
    ctx.addIssue({
      code: 'custom',
      path: [counts[1]],
      params: { atKey: true },
      message: `give one of ${listOf(counts)}`,
    });
  }
  if (kind === 'crash' && counts.length === 1 && counts[0] !== 'count') {
    // `shards: 2` of a service is a slip worth catching: the number would mean something else.
    const head = String(f.crash).split('.')[0];
    const fits = head === 'stores' ? 'shards' : head === 'streams' ? 'instances' : 'replicas';
    if (counts[0] !== fits) {
      ok = false;
      ctx.addIssue({
        code: 'custom',
        path: [counts[0]],
        params: { atKey: true },
        message: `\`${f.crash}\` has ${fits}, not ${counts[0]}; write \`${fits}: ${f[counts[0]]}\``,
      });
    }
  }
  const { at } = f;
  const length = f.for;
  switch (kind) {
    case 'crash':
      return ok ? { at, for: length, kind, target: f.crash as string, count: f[counts[0]] ?? ALL } : z.NEVER;
    case 'outage':
      return ok ? { at, for: length, kind, region: f.outage as string } : z.NEVER;
    case 'slow':
      if (f.add === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['add'],
          message: 'missing `add`: how much slower, e.g. `add: 200ms`',
        });
        return z.NEVER;
      }
      return ok ? { at, for: length, kind, target: f.slow as string, add: f.add } : z.NEVER;
    case 'errors':
      if (f.rate === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rate'],
          message: 'missing `rate`: the share that fails, e.g. `rate: 20%`',
        });
        return z.NEVER;
      }
      return ok ? { at, for: length, kind, target: f.errors as string, rate: f.rate } : z.NEVER;
    case 'partition': {
      const pair = splitPair(f.partition as string);
      if (pair === undefined || pair[0] === pair[1]) {
        ctx.addIssue({
          code: 'custom',
          path: ['partition'],
          message: `bad partition \`${f.partition}\`: expected two regions like \`eu-west<->us-east\``,
        });
        return z.NEVER;
      }
      return ok ? { at, for: length, kind, a: pair[0], b: pair[1] } : z.NEVER;
    }
  }
});

/** The `faults` list. */
export const FaultsSchema = z.array(FaultSchema, {
  error: 'expected a list of faults like `- { at: 1m, for: 30s, outage: eu-west }`',
});
