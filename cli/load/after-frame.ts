/**
 * What `load` prints around the dashboard's last frame on a terminal, so that frame keeps its header
 * (scenario, mode, elapsed, verdict) on screen at 80×24 (issue 14). The long detail (the latency
 * not corrected for coordinated omission, predicted vs measured, full warnings) goes above the
 * frame, into the scrollback, word for word as off a terminal; under the frame only the verdict,
 * a line saying what is above, `finished in`, the report paths and why a run failed, counted in
 * terminal rows by the same function that sizes the frame.
 */

import { behindMessage } from '../../results/generator-row.js';
import type { GeneratorResult, RunResult } from '../../results/run-result.js';
import { heldOutput } from '../dashboard/held-output.js';
import type { AfterFrame } from '../dashboard/live.js';
import { cutToWidth, displayRows } from '../dashboard/terminal-rows.js';
import { verdictExit } from '../exit.js';

/**
 * The notices of a finished load, one per line: where the spans were written (`said`), and that
 * the generator fell behind. Off a terminal they go to stderr; on one, above the last frame.
 */
export function loadNotices(said: string, behind: GeneratorResult | undefined, allowLate?: boolean): string {
  return `${said}${behind ? `backline: ${allowLate ? 'warning: ' : ''}${behindMessage(behind)}\n` : ''}`;
}

/**
 * What the command prints on stderr once the dashboard is gone, when the run failed: the generator
 * that fell behind (not `--allow-late`), or the verdict's reasons (`no requests of journey play
 * succeeded`), in the words of `verdictExit`, which is asked for them.
 */
export function failureLines(
  result: RunResult,
  behind: GeneratorResult | undefined,
  allowLate?: boolean,
): string {
  if (behind && !allowLate) return `backline: run failed: ${behindMessage(behind)}\n`;
  const held = heldOutput();
  verdictExit(result, {}, held.stream);
  return held.text;
}

/** What was put above the frame, named for the line that points to it. */
export interface Above {
  notices: boolean;
  uncorrected: boolean;
  predicted: boolean;
}

/**
 * The text under the last frame and the rows the command prints after it: the failed budgets and
 * the pointer to what is above, each cut to one row; `finished in`; the report paths and the
 * clinic report, whole (a path is copied, never cut); `failures`, printed later on stderr.
 */
export function belowFrame(
  result: RunResult,
  end: { above: Above; finished: string; listing: string; profile?: string; failures: string },
  columns: number | undefined,
): Exclude<AfterFrame, number> {
  const failed = result.budgets.filter((b) => b.pass === false);
  const kinds = [
    end.above.notices ? 'notices' : '',
    end.above.uncorrected ? 'uncorrected latency' : '',
    end.above.predicted ? 'predicted vs measured' : '',
  ].filter(Boolean);
  const lines = [
    failed.length > 0 ? `budget failed: ${failed.map((b) => b.expr).join(', ')}` : '',
    kinds.length > 0 ? `scroll up for: ${kinds.join(', ')}` : '',
  ].filter(Boolean);
  const below = `${lines.map((l) => `${cutToWidth(l, columns)}\n`).join('')}${end.finished}${end.listing}${end.profile ?? ''}`;
  return { below, belowRows: displayRows(end.failures, columns) };
}
