/**
 * Turns zod issues into messages for people. The schema already words most failures (see
 * `fields.ts`); this adds what only the whole picture knows: which key is missing, which keys are
 * valid where an unknown one appears, and plain wording for anything zod phrased itself.
 */
import * as z from 'zod';
import type { Path } from './positions.js';
import { didYouMean, listOf } from './suggest.js';

/** A problem at a path, ready to be positioned. `atKey` points at the key rather than its value. */
export interface PathIssue {
  path: PropertyKey[];
  message: string;
  atKey?: boolean;
  /** The key does not exist at all (positions then point at its parent). */
  missing?: boolean;
}

/** The keys a strict mapping accepts at `path`, found by walking the schema. */
export function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  let s: unknown = schema;
  const unwrap = () => {
    for (;;) {
      if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable)
        s = s.unwrap();
      else if (s instanceof z.ZodPipe) s = s.in;
      else if (s instanceof z.ZodUnion) {
        // Unions of a short text form and a long mapping form: the mapping's keys are the ones.
        const options = s.options as z.ZodType[];
        const mapping = options.find((o) => {
          let x: unknown = o;
          while (x instanceof z.ZodPipe) x = x.in;
          return x instanceof z.ZodObject;
        });
        if (mapping === undefined) return;
        s = mapping;
      } else return;
    }
  };
  for (const seg of path) {
    unwrap();
    if (s instanceof z.ZodObject) s = s.shape[String(seg)];
    else if (s instanceof z.ZodRecord) s = s.valueType;
    else if (s instanceof z.ZodArray) s = s.element;
    else return [];
  }
  unwrap();
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

function has(data: unknown, path: Path): boolean {
  let v: unknown = data;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, seg)) return false;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return true;
}

/** zod's own wording (`Invalid input: …`) is replaced; ours is kept. */
function plain(issue: z.core.$ZodIssue): string {
  if (!/^Invalid|^Unrecognized|^Too (small|big)/.test(issue.message)) return issue.message;
  if (issue.code === 'invalid_type')
    return `expected ${issue.expected === 'object' ? 'a mapping' : issue.expected}`;
  return 'invalid value';
}

/**
 * Messages for one zod issue (an unknown-keys issue becomes one message per key). `data` is the
 * input that was validated, used to tell a missing key from a wrong value.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema: z.ZodType, data: unknown): PathIssue[] {
  const path = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(schema, path);
    return issue.keys.map((key) => ({
      path: [...path, key],
      atKey: true,
      message: `unknown key \`${key}\`${didYouMean(key, known) || (known.length ? `; expected one of ${listOf(known)}` : '')}`,
    }));
  }
  if (issue.code === 'custom' && (issue.params as { atKey?: boolean } | undefined)?.atKey) {
    // Checks of user-chosen keys (budget expressions, latency pairs) point at the key itself.
    return [{ path, atKey: true, message: issue.message }];
  }
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return [{ path, atKey: true, message: inner ? plain(inner) : 'invalid name' }];
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    return [
      { path, message: 'a scenario must be a mapping with `name`, `duration`, `users` and `services`' },
    ];
  }
  // Our own checks word their messages themselves (a call written `auth.check` has no `call` key
  // in the input, yet the check points there); only zod's "required" issues get the prefix.
  if (issue.code !== 'custom' && path.length > 0 && !has(data, path) && has(data, path.slice(0, -1))) {
    const key = String(path[path.length - 1]);
    const message = plain(issue);
    return [
      {
        path,
        missing: true,
        message: message.startsWith('missing') ? message : `missing \`${key}\`: ${message}`,
      },
    ];
  }
  if (issue.code === 'invalid_union') {
    // A value that could take several forms: when only one form got past the type check, its
    // problems are the real ones (`{ call: x, p: 150% }` is a bad call, not "not a string").
    const typeOnly = (branch: z.core.$ZodIssue[]) =>
      branch.every((i) => i.code === 'invalid_type' && i.path.length === 0);
    const real = issue.errors.filter((branch) => !typeOnly(branch));
    if (real.length === 1)
      return real[0].flatMap((sub) => describeIssue({ ...sub, path: [...path, ...sub.path] }, schema, data));
    return [{ path, message: plain(issue) }];
  }
  return [{ path, message: plain(issue) }];
}
