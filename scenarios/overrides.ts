/**
 * `--set a.b.c=value` overrides. They are applied to the YAML document before validation, so an
 * override is checked by exactly the same schema as the file, and its mistakes are reported against
 * the `--set` that caused them.
 */
import { type Document, isSeq, parseDocument } from 'yaml';
import { locate } from './positions.js';
import { ValueError } from './value-error.js';
import { quoteCalls } from './yaml-calls.js';

/** One parsed `--set`. */
export interface Override {
  /** As typed, e.g. `services.server.workers=8`. */
  raw: string;
  path: string[];
  value: unknown;
}

/**
 * Parses `path.to.key=value`. The value is read as YAML (a scalar or flow collection), so
 * `workers=8` sets a number, `arrivals=poisson(5/s)` a string and `steps=[a, b]` a list.
 * Throws {@link ValueError} when malformed.
 */
export function parseOverride(raw: string): Override {
  const eq = raw.indexOf('=');
  if (eq < 0)
    throw new ValueError('expected `--set path.to.key=value`, e.g. `--set services.server.workers=8`');
  const path = raw.slice(0, eq).trim().split('.');
  if (path.some((p) => p.trim() === '')) {
    throw new ValueError('expected `--set path.to.key=value`: the path has an empty part');
  }
  const doc = parseDocument(quoteCalls(raw.slice(eq + 1)).text, { prettyErrors: false });
  if (doc.errors.length > 0) throw new ValueError(`bad value: ${doc.errors[0].message}`);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias (`*x`) with no anchor: yaml only notices while building the value.
    throw new ValueError(`bad value: ${(e as Error).message}`);
  }
  const trimmed = path.map((p) => p.trim());
  // Budget keys contain dots themselves (`budgets.play.p99=< 300ms` sets budget `play.p99`).
  if (trimmed[0] === 'budgets' && trimmed.length > 2)
    return { raw, path: ['budgets', trimmed.slice(1).join('.')], value };
  return { raw, path: trimmed, value };
}

/** Sets the override's value in the document, creating mappings along the way. */
export function applyOverride(doc: Document, o: Override): void {
  // Index sequences with numbers (`steps.0`), everything else by key.
  const path = o.path.map((seg, i): string | number => {
    const parent = locate(doc, o.path.slice(0, i));
    return parent.depth === i && isSeq(parent.node) && /^\d+$/.test(seg) ? Number(seg) : seg;
  });
  try {
    doc.setIn(path, doc.createNode(o.value));
  } catch {
    const at = locate(doc, o.path);
    const blocker = o.path.slice(0, Math.min(at.depth, o.path.length - 1)).join('.') || '(root)';
    throw new ValueError(`cannot set \`${o.path.join('.')}\`: \`${blocker}\` is not a mapping`);
  }
}

/** Whether an issue at `path` is about what override `o` set (the override's path is a prefix). */
export function covers(o: Override, path: readonly PropertyKey[]): boolean {
  return o.path.length <= path.length && o.path.every((seg, i) => seg === String(path[i]));
}
