/**
 * Typed errors with stable codes. Library code throws these; only `cli/` turns them into messages
 * and exit codes (see `cli/exit.ts`).
 */
import { escapeControl } from './escape.js';

/** Stable error codes. The CLI maps `E_SCENARIO`/`E_USAGE` to exit 2 and `E_RUN` to exit 3. */
export type ErrorCode = 'E_SCENARIO' | 'E_USAGE' | 'E_RUN';

/** Base class of every error backline throws on purpose. */
export class BacklineError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One located problem in a scenario file. `line` and `col` are 1-based; 0 when unknown. */
export interface ScenarioIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** A scenario that cannot be loaded: one or more located issues. */
export class ScenarioError extends BacklineError {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super('E_SCENARIO', issues.map(formatIssue).join('\n'));
    this.issues = issues;
  }
}

/**
 * `file:line:col  message`, the format every scenario mistake is reported in; one line whatever
 * the scenario's text holds (control characters escaped, see `escape.ts`).
 */
export function formatIssue(i: ScenarioIssue): string {
  const file = escapeControl(i.file);
  const message = escapeControl(i.message);
  return i.line > 0 ? `${file}:${i.line}:${i.col}  ${message}` : `${file}  ${message}`;
}

/** Bad command-line usage (unknown option value, unparsable `--set`). */
export class UsageError extends BacklineError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** The run itself failed: target unreachable, crash, interrupted I/O. */
export class RunError extends BacklineError {
  constructor(message: string) {
    super('E_RUN', message);
  }
}
