/**
 * Routes: what a service does for a request, as a list of downstream calls. `auth.check` calls
 * route `check` of service `auth`; `{ call: x, p: 30%, timeout: 50ms }` calls it with a
 * probability and a per-call timeout; `{ parallel: [a, b] }` fans out and waits for all.
 */
import * as z from 'zod';
import { duration, section, share } from './fields.js';

/** One call of a route, or a parallel fan-out of calls. */
export type Call = { call: string; p: number; timeout?: number } | { parallel: Call[] };

/** What a call target may look like: `svc`, `svc.route`, `stores.<name>`, `cdn`. */
export const TARGET = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?$/;

const badTarget = (t: string) =>
  `bad call \`${t}\`: expected \`service\`, \`service.route\`, \`stores.<name>\` or \`cdn\``;

const target = z.string({ error: 'expected a call target like `auth.check`' });

/** The long form `{ call, p, timeout }` or `{ parallel: [...] }`. */
const CallObject = section('call', {
  call: target.optional(),
  p: share('p').optional(),
  timeout: duration('timeout', { positive: true }).optional(),
  get parallel(): z.ZodOptional<z.ZodArray<typeof CallSchema>> {
    return z
      .array(CallSchema, {
        error: 'expected a list of calls for `parallel`, e.g. `[metadata.track, license.check]`',
      })
      .min(1, { error: '`parallel` needs at least one call' })
      .optional();
  },
}).transform((v, ctx): Call => {
  if (v.parallel !== undefined) {
    if (v.call !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'a call has either `call` or `parallel`, not both' });
      return z.NEVER;
    }
    if (v.p !== undefined || v.timeout !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: '`p` and `timeout` belong to each call inside `parallel`, not to the fan-out',
      });
      return z.NEVER;
    }
    return { parallel: v.parallel };
  }
  if (v.call === undefined) {
    // An unknown key (`cal:`) already explains what is wrong with this mapping.
    if (ctx.issues.length === 0)
      ctx.addIssue({ code: 'custom', message: 'expected `call: service.route` or `parallel: [...]`' });
    return z.NEVER;
  }
  if (!TARGET.test(v.call)) {
    ctx.addIssue({ code: 'custom', path: ['call'], message: badTarget(v.call) });
    return z.NEVER;
  }
  const out: Call = { call: v.call, p: v.p ?? 1 };
  if (v.timeout !== undefined) out.timeout = v.timeout;
  return out;
});

/** The short form: just the target. */
const CallText = target.transform((t, ctx): Call => {
  if (!TARGET.test(t)) {
    ctx.addIssue({ code: 'custom', message: badTarget(t), input: t });
    return z.NEVER;
  }
  return { call: t, p: 1 };
});

/** A call in any of its written forms → {@link Call}. */
export const CallSchema: z.ZodType<Call, unknown> = z
  .union([CallText, CallObject], {
    error: 'expected a call like `auth.check`, `{ call: auth.check, p: 30% }` or `{ parallel: [a, b] }`',
  })
  // Named so the JSON Schema refers to it as `#/$defs/call` (calls nest inside `parallel`).
  .meta({
    id: 'call',
    description: 'a call like `auth.check`, `{ call: auth.check, p: 30% }` or `{ parallel: [a, b] }`',
  });

/** A route: the calls a request makes, in order. */
export const RouteSchema = z.array(CallSchema, {
  error: 'expected a list of calls like `[auth.check, { parallel: [a, b] }]`',
});
