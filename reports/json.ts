/**
 * `result.json`: the RunResult as stable, readable JSON (two-space indent, trailing newline), so the
 * same result gives byte-identical files and `backline report`/`compare` can read it back.
 */
import type { RunResult } from '../results/run-result.js';

/** Serialises a RunResult. */
export function renderJson(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
