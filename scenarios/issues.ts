/**
 * Turns zod issues into messages for people. The schema already words most failures (see
 * `fields.ts`); this adds what only the whole picture knows: which key is missing, which keys are
 * valid where an unknown one appears, and plain wording for anything zod phrased itself.
 */
import { z } from 'zod';
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
      else return;
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
  if (issue.code === 'invalid_key') {
    const inner = issue.issues[0];
    return [{ path, atKey: true, message: inner ? plain(inner) : 'invalid name' }];
  }
  if (path.length === 0 && issue.code === 'invalid_type') {
    return [
      { path, message: 'a scenario must be a mapping with `name`, `duration`, `users` and `services`' },
    ];
  }
  if (path.length > 0 && !has(data, path) && has(data, path.slice(0, -1))) {
    const key = String(path[path.length - 1]);
    return [{ path, missing: true, message: `missing \`${key}\`: ${plain(issue)}` }];
  }
  return [{ path, message: plain(issue) }];
}
