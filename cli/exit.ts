/**
 * The only place errors become messages and exit codes:
 * 0 pass · 1 a budget failed · 2 bad input or usage · 3 the run itself failed.
 */
import { BacklineError } from '../results/errors.js';
import { escapeControlKeepLines } from '../results/escape.js';
import type { RunResult } from '../results/run-result.js';
import { judge, type VerdictOptions } from '../results/verdict.js';

/** Exit codes of every command. */
export const EXIT = { pass: 0, budget: 1, input: 2, run: 3 } as const;

/** Prints `err` for a human (no stack trace for errors we threw on purpose) and returns the exit code. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof BacklineError) {
    // Messages quote scenario text and file contents: never let them drive the terminal.
    stderr.write(`${escapeControlKeepLines(err.message)}\n`);
    return err.code === 'E_SCENARIO' || err.code === 'E_USAGE' ? EXIT.input : EXIT.run;
  }
  const e = err as { code?: string; message?: string };
  if (e && typeof e.code === 'string' && e.code.startsWith('commander.')) return EXIT.input;
  // An unexpected failure is a bug: say so plainly, keep the stack for a report behind an env flag.
  stderr.write(`backline: internal error: ${escapeControlKeepLines(e?.message ?? String(err))}\n`);
  if (process.env.BACKLINE_DEBUG) stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT.run;
}

/**
 * The exit code `result` earns by the one verdict rule of `results/verdict.ts`; why a run failed
 * (`no requests completed for journey play`) goes to stderr.
 */
export function verdictExit(
  result: Pick<RunResult, 'budgets' | 'partial'>,
  opts: VerdictOptions = {},
  stderr: NodeJS.WritableStream = process.stderr,
): number {
  const { verdict, reasons } = judge(result, opts);
  for (const r of reasons) stderr.write(`backline: run failed: ${escapeControlKeepLines(r)}\n`);
  return EXIT[verdict];
}
