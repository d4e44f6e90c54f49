/**
 * Building blocks of the scenario schema. Each leaf accepts what a person writes in YAML (`3ms`,
 * `2k`, `exp(1ms)`) and outputs plain numbers, and every failure carries a message meant for people:
 * the loader shows these messages verbatim next to `file:line:col`.
 */
import * as z from 'zod';
import { quoteName } from '../results/escape.js';
import { type Arrivals, parseArrivals } from './arrivals.js';
import { type DistSpec, type DistUnit, parseDist } from './distribution.js';
import { didYouMean, listOf } from './suggest.js';
import { parseCount, parseDuration, parseRate, parseShare, parseSize } from './units.js';
import { ValueError } from './value-error.js';

/**
 * A string-or-number leaf resolved by `parse`. A {@link ValueError} becomes a zod issue with its
 * message; anything else is a bug and propagates (the loader wraps it).
 */
export function parsed<T>(expected: string, parse: (v: string | number) => T) {
  // The description is what editors show on completion (`backline schema`).
  const input = z
    .union([z.string(), z.number()], { error: expected })
    .meta({ description: expected.replace(/^expected /, '') });
  return input.transform((v, ctx): T => {
    try {
      return parse(v);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message, input: v });
      return z.NEVER;
    }
  });
}

/** Free text, such as `about`. */
export function text(label: string) {
  return z.string({ error: `expected text for \`${label}\`` });
}

/** A duration in seconds, written with a unit (`20000s`, `5m`). */
export function duration(label: string, opts: { positive?: boolean } = {}) {
  return parsed('expected a duration like `20000s`', (v) => {
    const s = parseDuration(v);
    if (opts.positive && !(s > 0)) throw new ValueError(`\`${label}\` must be positive, got \`${v}\``);
    return s;
  });
}

/** A rate in events per second (`3k/s`, `120/min`). */
export function rate(label: string, opts: { positive?: boolean } = {}) {
  return parsed(`expected a rate like \`500/s\` for \`${label}\``, (v) => {
    const r = parseRate(v);
    if (opts.positive && !(r > 0)) throw new ValueError(`\`${label}\` must be positive, got \`${v}\``);
    return r;
  });
}

/** A share in 0..1, written as a percentage (`65%`). */
export function share(label: string) {
  return parsed(`expected a percentage like \`65%\` for \`${label}\``, (v) => parseShare(v));
}

/** A size in bytes (`4MB`, `2TB`). */
export function size(label: string) {
  return parsed(`expected a size like \`4MB\` for \`${label}\``, (v) => parseSize(v));
}

/** Bytes per second, written as a size per second (`20kB/s`) or a size meaning per second. */
export function bytesPerSecond(label: string) {
  return parsed(`expected a size per second like \`20kB/s\` for \`${label}\``, (v) =>
    parseSize(String(v).replace(/\s*\/\s*s$/, '')),
  );
}

/** One of a fixed set of words, with a suggestion for a near miss. */
export function choice<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, {
    error: (iss) =>
      typeof iss.input === 'string'
        ? `unknown ${label} \`${iss.input}\`${didYouMean(iss.input, values) || `; expected one of ${listOf(values)}`}`
        : `expected one of ${listOf(values)} for \`${label}\``,
  });
}

/** `true` or `false`. */
export function flag(label: string) {
  return z.boolean({ error: `expected \`true\` or \`false\` for \`${label}\`` });
}

/** A list of names, such as the regions a service runs in. */
export function names(label: string, example: string) {
  return z.array(z.string({ error: `expected a name in \`${label}\`` }), {
    error: `expected a list for \`${label}\`, e.g. \`${example}\``,
  });
}

/** Limits a {@link count} must respect. */
export interface CountLimits {
  integer?: boolean;
  min?: number;
  max?: number;
  positive?: boolean;
  /** Said after a `max` violation: why larger values are refused. */
  tooLarge?: string;
}

/** `1e9` rather than `1000000000`, so limits read at a glance. */
const big = (n: number) => (Math.abs(n) >= 1e6 ? n.toExponential().replace('e+', 'e') : String(n));

/** A number that may use count suffixes (`2k`, `10M`), with range checks. */
export function count(label: string, limits: CountLimits = {}) {
  const example = limits.integer ? '`4` or `2k`' : '`1.5` or `2k`';
  return parsed(`expected a number like ${example} for \`${label}\``, (v) => {
    const n = parseCount(v);
    const bad = (rule: string) => new ValueError(`\`${label}\` must be ${rule}, got ${v}`);
    // Too large first: 1e20 is "too large", not "not a whole number" (it is not a safe integer).
    if (limits.max !== undefined && n > limits.max) {
      const why = limits.tooLarge ? `: ${limits.tooLarge}` : '';
      throw new ValueError(`\`${label}\` must be at most ${big(limits.max)}, got ${v}${why}`);
    }
    if (limits.integer && !Number.isSafeInteger(n)) throw bad('a whole number');
    if (limits.positive && !(n > 0)) throw bad('positive');
    if (limits.min !== undefined && n < limits.min) throw bad(`at least ${limits.min}`);
    return n;
  });
}

/** A distribution such as `exp(1ms)`, resolved to a {@link DistSpec}. */
export function dist(label: string, unit: DistUnit) {
  const example =
    unit === 'duration'
      ? '`exp(1ms)`'
      : unit === 'size'
        ? '`lognormal(median: 4MB, p99: 12MB)`'
        : '`zipf(1.0)`';
  return parsed<DistSpec>(`expected a distribution like ${example} for \`${label}\``, (v) => {
    const spec = parseDist(String(v), { unit });
    // Only a count (catalog popularity, key skew) takes zipf's n from its context; elsewhere the
    // sampler would meet n = 0 at run time.
    if (spec.kind === 'zipf' && spec.n === 0 && unit !== 'count')
      throw new ValueError(
        `bad distribution \`${String(v).trim()}\`: zipf needs its n here, e.g. \`zipf(1.1, 1000)\``,
      );
    return spec;
  });
}

/** An arrival process such as `poisson(3k/s)`. */
export function arrivals() {
  return parsed<Arrivals>('expected an arrival process like `poisson(3k/s)`', (v) =>
    parseArrivals(String(v)),
  );
}

/** A mapping with a fixed set of keys; any other key is an error (typos must not pass silently). */
export function section<T extends z.ZodRawShape>(label: string, shape: T) {
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'invalid_type' ? `expected a mapping for \`${label}\`` : undefined),
  });
}

/** Names usable in references such as `gateway.play`: no dots, no spaces. */
const NAME = /^[A-Za-z0-9_-]+$/;

/** The longest name accepted: names key every table, report and metric label. */
export const MAX_NAME_LENGTH = 128;

/**
 * Names every JavaScript object already has (`__proto__`, `constructor`, `toString`…) plus
 * `prototype`: as a key of a result's `journeys` or `services` they would be dropped, or found on
 * objects that never declared them.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  'prototype',
]);

/** Why `name` cannot name a `what`, or undefined when it can. */
export function nameProblem(what: string, name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH)
    return `${what} name \`${quoteName(name, 32)}\` is longer than the limit of ${MAX_NAME_LENGTH} characters`;
  if (!NAME.test(name))
    return `bad ${what} name \`${quoteName(name)}\`: use only letters, digits, \`_\` and \`-\``;
  if (RESERVED_NAMES.has(name))
    return `\`${name}\` cannot name a ${what}: every JavaScript object has a property of that name`;
  return undefined;
}

/**
 * A mapping from user-chosen names (services, journeys) to values of one schema; `rule` adds what
 * a kind of name needs beyond the common one.
 */
export function named<V extends z.ZodType>(
  what: string,
  value: V,
  rule?: (name: string) => string | undefined,
) {
  const key = z.string().check((ctx) => {
    const problem = nameProblem(what, ctx.value) ?? rule?.(ctx.value);
    if (problem !== undefined) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });
  return z.record(key, value, { error: `expected a mapping of ${what} names` });
}
