/**
 * The `load` section: how a real load test drives live endpoints. Rates and bounds are resolved
 * here; request templates (`{{catalog.item}}`, `{{token}}`, `${env.TOKEN}`) stay as text for the
 * load drivers. Journeys are flows of steps (`load-steps.ts`) drawing rows from feeds (`load-feeds.ts`).
 */
import * as z from 'zod';
import { parseRateRange } from './arrivals.js';
import { choice, count, dist, duration, named, names, section } from './fields.js';
import { FeedSchema } from './load-feeds.js';
import { FlowSchema } from './load-steps.js';
import { parseDuration, parseRate } from './units.js';
import { ValueError } from './value-error.js';

/** A stage of the offered-load profile. */
export type LoadStage =
  | { kind: 'ramp'; from: number; to: number; over: number }
  | { kind: 'hold'; rate: number; for: number }
  | { kind: 'spike'; rate: number; for: number };

export type { Feed } from './load-feeds.js';
export type { FlowStep, LoadRequest, RequestStep, ThinkStep } from './load-steps.js';
export { firstRequest, METHODS, requestFlow } from './load-steps.js';

const stageText = z.union([z.string(), z.number()]);

/** `{ ramp: 0 -> 500/s, over: 1m }`, `{ hold: 500/s, for: 5m }` or `{ spike: 2k/s, for: 10s }`. */
const StageSchema = section('stage', {
  ramp: stageText.optional(),
  over: stageText.optional(),
  hold: stageText.optional(),
  spike: stageText.optional(),
  for: stageText.optional(),
}).transform((s, ctx): LoadStage => {
  const kinds = (['ramp', 'hold', 'spike'] as const).filter((k) => s[k] !== undefined);
  const issue = (message: string, path: string[] = []) => {
    ctx.addIssue({ code: 'custom', path, message });
    return z.NEVER;
  };
  if (kinds.length === 0 && ctx.issues.length > 0) return z.NEVER;
  if (kinds.length !== 1)
    return issue(
      'a stage is one of `{ ramp: 0 -> 500/s, over: 1m }`, `{ hold: 500/s, for: 5m }`, `{ spike: 2k/s, for: 10s }`',
    );
  const kind = kinds[0];
  const lengthKey = kind === 'ramp' ? 'over' : 'for';
  const wrongKey = kind === 'ramp' ? 'for' : 'over';
  if (s[wrongKey] !== undefined)
    return issue(`\`${kind}\` stages last \`${lengthKey}\`, not \`${wrongKey}\``, [wrongKey]);
  if (s[lengthKey] === undefined)
    return issue(`missing \`${lengthKey}\`: how long, e.g. \`${lengthKey}: 1m\``, [lengthKey]);
  let length: number;
  try {
    length = parseDuration(s[lengthKey] as string | number);
    if (!(length > 0)) throw new ValueError(`\`${lengthKey}\` must be positive`);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    return issue(e.message, [lengthKey]);
  }
  try {
    const text = String(s[kind]);
    if (kind === 'ramp') {
      const [from, to] = parseRateRange(text);
      return { kind, from, to, over: length };
    }
    return { kind, rate: parseRate(text), for: length };
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    return issue(e.message, [kind]);
  }
});

/** The `load` section. */
/**
 * Feed names are read inside templates, whose tokens (like captured variables) have no `-`: refuse
 * it where the feed is declared rather than fail on `{{feed.my-feed.x}}` once the run starts.
 */
function feedNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9_]+$/.test(name)
    ? undefined
    : `bad feed name \`${name}\`: use letters, digits and \`_\` (it is read as {{feed.<name>.<column>}})`;
}

export const LoadSchema = section('load', {
  /** Base URL of the system under test (may be `${env.TARGET}`). */
  target: z.string({ error: 'expected a base URL like `http://127.0.0.1:8080` for `target`' }),
  /** Hosts allowed besides loopback; any other host is refused. */
  allow: names('allow', '[127.0.0.1, localhost]').default([]),
  tool: choice('tool', ['autocannon', 'k6']).default('autocannon'),
  connections: count('connections', { integer: true, min: 1, max: 100_000 }).default(50),
  maxRequests: count('maxRequests', { integer: true, min: 1, max: 1e10 }).default(1_000_000),
  maxDuration: duration('maxDuration', { positive: true }).default(600),
  profile: z
    .array(StageSchema, { error: 'expected a list of stages like `[{ hold: 500/s, for: 5m }]`' })
    .default([]),
  closed: section('closed', {
    users: count('users', { integer: true, min: 1, max: 1e6 }),
    think: dist('think', 'duration'),
  }).optional(),
  /** Data files rows are drawn from: `{{feed.<name>.<column>}}`. */
  feeds: named('feed', FeedSchema, feedNameProblem).default({}),
  /** Steps each virtual user runs once, before its first journey (log in, keep the token). */
  session: FlowSchema.optional(),
  /** Per journey: a flow of steps (a single request is a one-step flow). */
  requests: named('request', FlowSchema).default({}),
});

/** The load section of a scenario. */
export type Load = z.output<typeof LoadSchema>;
