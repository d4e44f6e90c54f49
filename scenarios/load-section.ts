/**
 * The `load` section: how a real load test drives live endpoints. Rates and bounds are resolved
 * here; request templates (`{{catalog.item}}`, `${env.TOKEN}`) stay as text for the load drivers.
 */
import { z } from 'zod';
import { parseRateRange } from './arrivals.js';
import { choice, count, dist, duration, named, names, section } from './fields.js';
import { parseDuration, parseRate } from './units.js';
import { ValueError } from './value-error.js';

/** A stage of the offered-load profile. */
export type LoadStage =
  | { kind: 'ramp'; from: number; to: number; over: number }
  | { kind: 'hold'; rate: number; for: number }
  | { kind: 'spike'; rate: number; for: number };

/** One request a journey sends. */
export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** HTTP methods a request line may use. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

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

/** `GET /v1/tracks/{{catalog.item}}/play` → method and path. */
function parseRequestLine(line: string): LoadRequest {
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(line);
  if (m === null)
    throw new ValueError(`bad request \`${line}\`: expected \`METHOD /path\`, e.g. \`GET /v1/search\``);
  const method = m[1].toUpperCase();
  if (!(METHODS as readonly string[]).includes(method))
    throw new ValueError(
      `bad request \`${line}\`: unknown method \`${m[1]}\`; expected one of ${METHODS.join(', ')}`,
    );
  if (!m[2].startsWith('/')) throw new ValueError(`bad request \`${line}\`: the path must start with \`/\``);
  return { method, path: m[2], headers: {} };
}

const RequestText = z.string().transform((line, ctx): LoadRequest => {
  try {
    return parseRequestLine(line);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message, input: line });
    return z.NEVER;
  }
});

const RequestObject = section('request', {
  method: choice('method', METHODS).default('GET'),
  path: z
    .string({ error: 'expected a path like `/v1/search`' })
    .startsWith('/', { error: 'the path must start with `/`' }),
  headers: z
    .record(z.string(), z.string({ error: 'expected a header value' }), {
      error: 'expected a mapping of headers',
    })
    .default({}),
  body: z.string({ error: 'expected the body as text' }).optional(),
});

/** A request as a line (`GET /path`) or the long form `{ method, path, headers, body }`. */
const RequestSchema = z.union([RequestText, RequestObject], {
  error: 'expected a request like `GET /v1/search` or `{ method: POST, path: /v1/x, body: ... }`',
});

/** The `load` section. */
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
  requests: named('request', RequestSchema).default({}),
});

/** The load section of a scenario. */
export type Load = z.output<typeof LoadSchema>;
