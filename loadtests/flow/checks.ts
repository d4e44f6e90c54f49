/**
 * Checks of a response (`status`, `json.<path>`, `body`, `header.<name>`, `latency`): each passes
 * or fails; failed ones fail the step and the journey with cause `check:<name>`.
 */
import type { Check } from '../../scenarios/load-assert.js';
import type { ResponseView } from './response.js';

function nonEmpty(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Loose equality the way YAML authors mean it: `200` equals `"200"`, `true` equals `"true"`. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === 'object' || typeof expected === 'object') return false;
  return String(actual) === String(expected);
}

/** Whether `check` passes on `r`. Regexes come compiled from `regexes` (one per check, built once). */
export function passes(check: Check, r: ResponseView, regex?: RegExp): boolean {
  switch (check.kind) {
    case 'status':
      return check.ranges.some(([lo, hi]) => r.status >= lo && r.status <= hi);
    case 'latency':
      return check.op === '<' ? r.latencyMs < check.ms : r.latencyMs <= check.ms;
    case 'body':
      return check.op === 'contains' ? r.body().includes(check.value) : (regex?.test(r.body()) ?? false);
    case 'json': {
      const at = r.at(check.path);
      if (check.op === 'exists') return at.found;
      if (check.op === 'not-empty') return at.found && nonEmpty(at.value);
      return at.found && same(at.value, check.value);
    }
    case 'header': {
      const v = r.header(check.header);
      if (v === undefined) return false;
      if (check.op === 'exists') return true;
      if (check.op === 'equals') return v === check.value;
      if (check.op === 'contains') return v.includes(check.value ?? '');
      return regex?.test(v) ?? false;
    }
  }
}

/** Whether a check needs the body kept. */
export function needsBody(check: Check): boolean {
  return check.kind === 'body' || check.kind === 'json';
}
