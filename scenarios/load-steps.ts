/**
 * Flow steps of a load journey: `- get: { url, headers, json, capture, check }`, `- think: exp(300ms)`,
 * a request line `GET /v1/search`, or the long form `{ method, path, headers, body }`. A journey's
 * `requests` entry is a list of steps (a flow); a single request stays valid as a one-step flow.
 */
import * as z from 'zod';
import type { DistSpec } from './distribution.js';
import { dist, section } from './fields.js';
import {
  type Capture,
  type Check,
  parseCapture,
  parseCheck,
  RESERVED_VARS,
  VAR_NAME,
} from './load-assert.js';
import { headerNameProblem, headerValueProblem, lineProblem } from './load-http.js';
import { didYouMean } from './suggest.js';
import { ValueError } from './value-error.js';

/** HTTP methods a request may use. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
const METHOD_KEYS = METHODS.map((m) => m.toLowerCase()) as Lowercase<(typeof METHODS)[number]>[];

/** One request a journey sends. Text may hold `{{...}}` templates and `${env.NAME}` secrets. */
export interface LoadRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A request step of a flow. */
export interface RequestStep extends LoadRequest {
  kind: 'request';
  /** `name:` as written, else `<method> <path before the first template or query>` (`get /v1/tracks`). */
  name: string;
  /** A JSON body whose string values may hold templates (sent with `content-type: application/json`). */
  json?: unknown;
  capture: Capture[];
  check: Check[];
}

/** A pause inside a flow. */
export interface ThinkStep {
  kind: 'think';
  think: DistSpec;
}

/** A step of a flow. */
export type FlowStep = RequestStep | ThinkStep;

type Issue = (message: string, path?: (string | number)[]) => void;

/** C0 and C1 control characters, DEL and the Unicode line and paragraph separators. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const checkValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
]);

const requestFields = {
  name: z
    .string({ error: 'expected a step name' })
    .min(1)
    .max(200)
    // A step name is a budget key (`play[<name>].p99`), a k6 tag and a report row: one line.
    .refine((n) => !CONTROL.test(n), {
      error: 'a step name is one line: no CR, LF, tab, NUL or other control characters',
    })
    .optional(),
  headers: z
    .record(z.string(), z.string({ error: 'expected a header value as text' }), {
      error: 'expected a mapping of headers',
    })
    .optional(),
  body: z.string({ error: 'expected the body as text' }).optional(),
  // Any YAML value (YAML values are JSON values); not z.json(), whose recursion breaks the JSON Schema export.
  json: z.unknown().optional(),
  capture: z
    .record(z.string(), z.string({ error: 'expected a capture like `json.token`' }), {
      error: 'expected a mapping like `{ token: json.token }`',
    })
    .optional(),
  check: z.record(z.string(), checkValue, { error: 'expected a mapping like `{ status: 200 }`' }).optional(),
};

/** The mapping under `get:`/`post:`…: `{ url, headers, json, body, capture, check, name }`. */
const RequestBody = z.union(
  [
    z.string(),
    section('request', {
      url: z.string({ error: 'expected a URL path like `/v1/search`' }),
      ...requestFields,
    }),
  ],
  { error: 'expected a path like `/v1/search` or `{ url: /v1/search, headers: …, check: … }`' },
);

/** A step as written; exactly one of the forms must be used (checked in the transform). */
const StepObject = section('step', {
  ...Object.fromEntries(METHOD_KEYS.map((k) => [k, RequestBody.optional()])),
  think: dist('think', 'duration').optional(),
  method: z.string({ error: 'expected a method like `POST`' }).optional(),
  path: z.string({ error: 'expected a path like `/v1/search`' }).optional(),
  ...requestFields,
}) as z.ZodType<Record<string, unknown>>;

/** `GET /v1/tracks/{{catalog.item}}/play` → method and path. */
function parseRequestLine(line: string): { method: string; path: string } {
  const m = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(line);
  if (m === null)
    throw new ValueError(`bad request \`${line}\`: expected \`METHOD /path\`, e.g. \`GET /v1/search\``);
  const method = m[1].toUpperCase();
  if (!(METHODS as readonly string[]).includes(method))
    throw new ValueError(
      `bad request \`${line}\`: unknown method \`${m[1]}\`; expected one of ${METHODS.join(', ')}`,
    );
  return { method, path: m[2] };
}

type Fields = { url?: string; path?: string } & {
  [K in keyof typeof requestFields]?: z.output<(typeof requestFields)[K]>;
};

/** Builds and checks a request step; problems are reported at `at` (the mapping holding the fields). */
function requestStep(
  method: string,
  f: Fields,
  issue: Issue,
  at: (string | number)[],
): RequestStep | undefined {
  const path = f.url ?? f.path ?? '';
  const pathKey = f.url !== undefined ? 'url' : 'path';
  let ok = true;
  const bad: Issue = (m, p = []) => {
    ok = false;
    issue(m, [...at, ...p]);
  };
  if (!path.startsWith('/')) bad(`the path must start with \`/\`, got ${JSON.stringify(path)}`, [pathKey]);
  const lp = lineProblem('path', path);
  if (lp) bad(lp, [pathKey]);
  const headers = f.headers ?? {};
  for (const [k, v] of Object.entries(headers)) {
    const p = headerNameProblem(k) ?? headerValueProblem(v);
    if (p) bad(p, ['headers', k]);
  }
  if (f.body !== undefined && f.json !== undefined) bad('give either `body` or `json`, not both', ['json']);
  const capture: Capture[] = [];
  for (const [name, text] of Object.entries(f.capture ?? {})) {
    if (!VAR_NAME.test(name) || RESERVED_VARS.includes(name)) {
      bad(
        `bad variable name \`${name}\`: use letters, digits and \`_\`, not ${RESERVED_VARS.slice(0, 5).join('/')}`,
        ['capture', name],
      );
      continue;
    }
    try {
      capture.push(parseCapture(name, text));
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      bad(e.message, ['capture', name]);
    }
  }
  const check: Check[] = [];
  for (const [key, value] of Object.entries(f.check ?? {})) {
    try {
      check.push(parseCheck(key, value));
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      bad(e.message, ['check', key]);
    }
  }
  if (!ok) return undefined;
  const step: RequestStep = { kind: 'request', name: f.name ?? '', method, path, headers, capture, check };
  if (f.body !== undefined) step.body = f.body;
  if (f.json !== undefined) step.json = f.json;
  return step;
}

/** One step as written → a {@link FlowStep}. */
export const StepSchema = z
  .union([z.string(), StepObject], {
    error: 'expected a step like `GET /v1/search`, `{ get: { url: /v1/search } }` or `{ think: exp(1s) }`',
  })
  .transform((raw, ctx): FlowStep => {
    const issue: Issue = (message, path = []) => ctx.addIssue({ code: 'custom', message, path });
    if (typeof raw === 'string') {
      try {
        const { method, path } = parseRequestLine(raw);
        return requestStep(method, { path }, issue, []) ?? z.NEVER;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        issue(e.message);
        return z.NEVER;
      }
    }
    const forms = [...METHOD_KEYS, 'think', 'path'].filter((k) => raw[k] !== undefined);
    if (forms.length !== 1) {
      issue(
        forms.length === 0
          ? 'a step needs one of `get`, `post`, `put`, `patch`, `delete`, `head`, `options`, `think` or `path`'
          : `a step is one request or one think time, got ${forms.map((f) => `\`${f}\``).join(' and ')}`,
      );
      return z.NEVER;
    }
    const form = forms[0];
    if (form === 'think') {
      const extra = Object.keys(raw).filter((k) => k !== 'think');
      if (extra.length > 0) {
        issue(`a think step has only \`think\``, [extra[0]]);
        return z.NEVER;
      }
      return { kind: 'think', think: raw.think as DistSpec };
    }
    if (form === 'path') {
      const m = String(raw.method ?? 'GET').toUpperCase();
      if (!(METHODS as readonly string[]).includes(m)) {
        issue(`unknown method \`${String(raw.method)}\`${didYouMean(m, METHODS)}`, ['method']);
        return z.NEVER;
      }
      return requestStep(m, raw as Fields, issue, []) ?? z.NEVER;
    }
    const outer = Object.keys(raw).filter((k) => k !== form);
    if (outer.length > 0) {
      issue(`put \`${outer[0]}\` inside \`${form}: { … }\``, [outer[0]]);
      return z.NEVER;
    }
    const body = raw[form] as string | Fields;
    const fields: Fields = typeof body === 'string' ? { url: body } : body;
    return requestStep(form.toUpperCase(), fields, issue, typeof body === 'string' ? [] : [form]) ?? z.NEVER;
  });

/** `get /v1/tracks/{{track}}/play` → `get /v1/tracks`: the path before its first template or query. */
export function defaultStepName(method: string, path: string): string {
  const cut = path.search(/\{\{|\$\{|\?/);
  const prefix = (cut < 0 ? path : path.slice(0, cut)).replace(/\/+$/, '') || '/';
  return `${method.toLowerCase()} ${prefix}`;
}

/** Names unnamed request steps and makes names unique within a flow (`get /v1/x #2`). */
export function nameSteps(steps: FlowStep[]): FlowStep[] {
  // Unique even when a name written as `get /x #2` meets a generated one: results key steps by name.
  const used = new Set<string>();
  return steps.map((s) => {
    if (s.kind !== 'request') return s;
    const base = s.name || defaultStepName(s.method, s.path);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} #${n}`;
    used.add(name);
    return { ...s, name };
  });
}

const FlowInput = z.union([z.array(StepSchema), StepSchema]);

let flowInputJson: { anyOf?: unknown } | undefined;

/** The JSON Schema of both forms, for `backline schema` (without its own `$schema` line). */
function inputSchema(): { anyOf?: unknown } {
  if (flowInputJson === undefined) {
    const { $schema: _, ...rest } = z.toJSONSchema(FlowInput, { io: 'input', unrepresentable: 'any' });
    flowInputJson = rest;
  }
  return flowInputJson;
}

/**
 * The flow's metadata, generated when read: `toJSONSchema` reads `anyOf` (the only key zod gives a
 * union) through the getter, so `backline schema` sees both forms while every other command skips
 * generating them at start-up (about 10 ms, a third of `validate`'s schema work).
 */
const lazyInputSchema = {
  get anyOf() {
    return inputSchema().anyOf;
  },
};

/**
 * A flow: a list of steps, or one step (a request line or mapping) as a one-step flow. The form is
 * chosen by the value's type before parsing, so a mistake inside a step is reported as itself
 * rather than as "neither a list nor a step"; the JSON Schema still shows both forms.
 */
export const FlowSchema = z
  .unknown()
  .meta(lazyInputSchema)
  .transform((v, ctx): FlowStep[] => {
    const r = Array.isArray(v) ? z.array(StepSchema).safeParse(v) : StepSchema.safeParse(v);
    if (r.success) return nameSteps(Array.isArray(r.data) ? r.data : [r.data]);
    for (const issue of r.error.issues) ctx.addIssue(issue as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  });

/** The first request step of a flow (what single-request tools send), if any. */
export function firstRequest(flow: readonly FlowStep[] | undefined): RequestStep | undefined {
  return flow?.find((s): s is RequestStep => s.kind === 'request');
}

/** A one-request flow built through the schema: `requestFlow('GET /x', { headers })`. */
export function requestFlow(
  line: string,
  extra: { headers?: Record<string, string>; body?: string } = {},
): FlowStep[] {
  const [method, path] = line.trim().split(/\s+/);
  return FlowSchema.parse({ method, path, ...extra });
}
