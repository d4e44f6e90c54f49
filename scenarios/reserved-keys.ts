/**
 * `__proto__` as a mapping key, anywhere in a scenario (written, or made by `--set`). Turned into
 * JavaScript it would not be a key at all but the object's prototype, so a journey or service of
 * that name would vanish without a word; it is refused where it is written instead.
 */
import { type Document, isScalar, visit } from 'yaml';
import type { ScenarioIssue } from '../results/errors.js';

/** Issues for every `__proto__` key in `doc`, placed by `position` (offset → line and column). */
export function reservedKeyIssues(
  doc: Document,
  file: string,
  position: (offset: number) => { line: number; col: number },
): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (!isScalar(key) || key.value !== '__proto__') return;
      const at = key.range ? position(key.range[0]) : { line: 0, col: 0 };
      issues.push({
        file,
        ...at,
        message: '`__proto__` cannot be a key: every JavaScript object has a property of that name',
      });
    },
  });
  return issues;
}
