/**
 * Users: how many there are, how they arrive and what they do (weighted journeys of steps).
 */
import * as z from 'zod';
import { arrivals, count, dist, named, section, share } from './fields.js';

/** People beyond this are refused: per-user columns would not fit in memory. */
export const MAX_POPULATION = 1e9;

/** One kind of user visit: a weighted sequence of steps (`gateway.play` = service.route). */
export const JourneySchema = section('journey', {
  weight: count('weight', { positive: true }).default(1),
  steps: z
    .array(z.string({ error: 'expected a step like `gateway` or `gateway.play`' }), {
      error: 'expected a list of steps like `[gateway.play]`',
    })
    .min(1, { error: 'a journey needs at least one step' }),
  /** Think time between steps. */
  think: dist('think', 'duration').optional(),
});

/** Who arrives and what they do. */
export const UsersSchema = section('users', {
  /** People modelled one by one (region, plan); 0 = not modelled per user. */
  population: count('population', {
    integer: true,
    min: 0,
    max: MAX_POPULATION,
    tooLarge: 'per-user state would not fit in memory',
  }).default(0),
  /** Share of premium users. */
  premium: share('premium').default(0),
  arrivals: arrivals(),
  journeys: named('journey', JourneySchema).refine((j) => Object.keys(j).length > 0, {
    error: 'define at least one journey, e.g. `req: { steps: [server] }`',
  }),
});

/** One journey of a scenario. */
export type Journey = z.output<typeof JourneySchema>;
