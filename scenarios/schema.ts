/**
 * The scenario schema: the single source of the `Scenario` type, its defaults and its validation.
 * Units are resolved here, so a parsed scenario holds only numbers (seconds, per-second rates,
 * bytes, shares in 0..1). Each section lives in its own file; cross-section checks are in
 * `references.ts`; `CONTRACT.md` describes the resulting shape for the modules that read it.
 */
import * as z from 'zod';
import { budgetKind } from './budget-checks.js';
import { type Budget, BudgetsSchema } from './budgets.js';
import { CatalogSchema, CdnSchema, P2pSchema } from './content.js';
import { ALL, type Fault, FaultsSchema } from './faults.js';
import { count, duration, named, section, text } from './fields.js';
import { LoadSchema } from './load-section.js';
import { checkReferences } from './references.js';
import { LatencySchema, RegionsSchema } from './regions.js';
import { ServiceSchema } from './service.js';
import { StoreSchema } from './stores.js';
import { StreamSchema } from './streams.js';
import { UsersSchema } from './users.js';

export type { Arrivals } from './arrivals.js';
export type { Budget, BudgetOp, MetricUnit, SubjectKind } from './budgets.js';
export type { Catalog, Cdn, P2p } from './content.js';
export type { DistSpec } from './distribution.js';
export type { Fault } from './faults.js';
export type { Feed, FlowStep, Load, LoadRequest, LoadStage, RequestStep, ThinkStep } from './load-section.js';
export { checkReferences } from './references.js';
export type { Latency, LatencyPair } from './regions.js';
export type { Call } from './route.js';
export type { Service } from './service.js';
export { ServiceSchema } from './service.js';
export type { Store } from './stores.js';
export type { Stream } from './streams.js';
export type { Journey } from './users.js';
export { JourneySchema, UsersSchema } from './users.js';

/** The scenario mapping as written, before cross-section checks. */
export const ScenarioShape = section('scenario', {
  name: z.string({ error: 'expected a name like `checkout-peak`' }).regex(/^[a-zA-Z0-9._-]+$/, {
    error: 'name must be non-empty and use only letters, digits, `.`, `_` and `-`',
  }),
  about: text('about').optional(),
  seed: count('seed', { integer: true, min: 0 }).default(1),
  duration: duration('duration', { positive: true }),
  warmup: duration('warmup').default(0),
  replications: count('replications', { integer: true, min: 1, max: 1000 }).default(1),
  regions: RegionsSchema.default({}),
  latency: LatencySchema.default({ intra: 0, jitter: 0, pairs: [] }),
  catalog: CatalogSchema.optional(),
  users: UsersSchema,
  services: named('service', ServiceSchema),
  stores: named('store', StoreSchema).default({}),
  cdn: CdnSchema.optional(),
  p2p: P2pSchema.optional(),
  streams: named('stream', StreamSchema).default({}),
  faults: FaultsSchema.default([]),
  budgets: BudgetsSchema.default([]),
  load: LoadSchema.optional(),
});

type Parsed = z.output<typeof ScenarioShape>;

/** A validated scenario with every unit resolved, every default filled in and names resolved. */
export type Scenario = Omit<Parsed, 'budgets' | 'faults'> & { budgets: Budget[]; faults: Fault[] };

/** Fills in what only the whole scenario knows: budget subject kinds, the size of "crash all". */
function resolve(s: Parsed): Scenario {
  const faults = s.faults.map((f): Fault => {
    if (f.kind !== 'crash' || f.count !== ALL) return f;
    const [head, name] = f.target.split('.');
    const size =
      head === 'stores'
        ? s.stores[name].shards * Math.max(1, s.stores[name].regions?.length ?? 1)
        : head === 'streams'
          ? s.streams[name].consume.instances
          : Math.max(s.services[f.target].replicas, s.services[f.target].autoscale?.max ?? 0);
    return { ...f, count: size };
  });
  const budgets = s.budgets.map((b): Budget => {
    // The references check refused budgets whose subject does not resolve.
    const kind = budgetKind(b.subject, b.metric, s as unknown as Record<string, unknown>) ?? 'journey';
    return { ...b, kind };
  });
  return { ...s, faults, budgets };
}

/** A whole scenario file → a {@link Scenario}. */
export const ScenarioSchema = ScenarioShape.superRefine(checkReferences, { when: () => true }).transform(
  resolve,
);
