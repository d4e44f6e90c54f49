/**
 * The scenario schema: the single source of the `Scenario` type, its defaults and its validation.
 * Units are resolved here, so a parsed scenario holds only numbers (seconds, per-second rates).
 * New sections (regions, stores, cdn, faults, budgets, load, …) are added as optional keys of
 * {@link ScenarioSchema} and, when they reference other sections, a check in {@link checkReferences}.
 */
import { z } from 'zod';
import { arrivals, count, dist, duration, named, section, text } from './fields.js';
import { didYouMean, listOf } from './suggest.js';
import { formatDuration } from './units.js';

/** One kind of user visit: a weighted sequence of service calls (`gateway.play` = service.route). */
export const JourneySchema = section('journey', {
  weight: count('weight', { positive: true }).default(1),
  steps: z
    .array(z.string({ error: 'expected a step like `gateway` or `gateway.play`' }), {
      error: 'expected a list of steps like `[gateway.play]`',
    })
    .min(1, { error: 'a journey needs at least one step' }),
});

/** Who arrives and what they do. */
export const UsersSchema = section('users', {
  arrivals: arrivals(),
  journeys: named('journey', JourneySchema).refine((j) => Object.keys(j).length > 0, {
    error: 'define at least one journey, e.g. `req: { steps: [server] }`',
  }),
});

/** A replicated service: `replicas` × `workers` concurrent requests, each queueing up to `queue`. */
export const ServiceSchema = section('service', {
  replicas: count('replicas', { integer: true, min: 1 }).default(1),
  workers: count('workers', { integer: true, min: 1 }).default(1),
  /** Waiting room per replica; requests beyond it are rejected. */
  queue: count('queue', { integer: true, min: 0 }).default(1000),
  time: dist('time', 'duration'),
});

type Ctx = z.core.$RefinementCtx<unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks that need more than one field. It runs even when other fields failed, so a single load
 * reports every mistake; it therefore reads the value defensively (fields may hold raw input).
 */
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
  const services = value.services;
  const journeys = isRecord(value.users) ? value.users.journeys : undefined;
  if (!isRecord(services) || !isRecord(journeys)) return;
  const names = Object.keys(services);
  for (const [journey, j] of Object.entries(journeys)) {
    if (!isRecord(j) || !Array.isArray(j.steps)) continue;
    j.steps.forEach((step: unknown, i: number) => {
      if (typeof step !== 'string') return;
      // `gateway.play` calls route `play` of service `gateway`; routes are checked once they exist.
      const service = step.split('.')[0];
      if (Object.hasOwn(services, service)) return;
      const hint = didYouMean(service, names) || (names.length ? `; services are ${listOf(names)}` : '');
      ctx.addIssue({
        code: 'custom',
        path: ['users', 'journeys', journey, 'steps', i],
        message: `unknown service \`${service}\` in step${hint}`,
      });
    });
  }
}

/** A whole scenario file. */
export const ScenarioSchema = section('scenario', {
  name: z.string({ error: 'expected a name like `checkout-peak`' }).regex(/^[a-zA-Z0-9._-]+$/, {
    error: 'name must be non-empty and use only letters, digits, `.`, `_` and `-`',
  }),
  about: text('about').optional(),
  seed: count('seed', { integer: true, min: 0 }).default(1),
  duration: duration('duration', { positive: true }),
  warmup: duration('warmup').default(0),
  replications: count('replications', { integer: true, min: 1, max: 1000 }).default(1),
  users: UsersSchema,
  services: named('service', ServiceSchema),
}).superRefine(checkReferences, { when: () => true });

/** A validated scenario with every unit resolved and every default filled in. */
export type Scenario = z.output<typeof ScenarioSchema>;
/** One service of a {@link Scenario}. */
export type Service = z.output<typeof ServiceSchema>;
/** One journey of a {@link Scenario}. */
export type Journey = z.output<typeof JourneySchema>;
