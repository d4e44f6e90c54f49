/**
 * A `replay(file.csv)` arrival file: one arrival time in seconds per line (first column). A first
 * line that is not a number is a header; any later line that is not a finite number ≥ 0 is counted
 * and reported (never skipped in silence), and a file with no parsable row is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { checkInputFile, MAX_REPLAY_BYTES } from './input-file.js';
import { ValueError } from './value-error.js';

/** What a replay file holds. */
export interface ReplayRows {
  /** Arrival times in seconds, sorted. */
  times: Float64Array;
  /** Lines that were neither blank, the header, nor a timestamp. */
  bad: number;
  /** The first such line (1-based) and its text, cut to 80 characters. */
  firstBad?: { line: number; text: string };
}

/** Parses replay CSV text (see the file's header). */
export function parseReplayRows(text: string): ReplayRows {
  const out: number[] = [];
  let bad = 0;
  let firstBad: ReplayRows['firstBad'];
  let seenContent = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const cell = lines[i].split(',')[0]?.trim();
    if (!cell) continue;
    const t = Number(cell);
    const header = !seenContent;
    seenContent = true;
    if (Number.isFinite(t) && t >= 0) out.push(t);
    else if (!header || /^[+-]?(\d|\.\d)/.test(cell)) {
      bad++;
      firstBad ??= { line: i + 1, text: lines[i].slice(0, 80) };
    }
  }
  return { times: Float64Array.from(out).sort(), bad, ...(firstBad ? { firstBad } : {}) };
}

/** `line 3: \`abc\`` for a message. */
export function describeBadRow(b: NonNullable<ReplayRows['firstBad']>): string {
  return `line ${b.line}: \`${JSON.stringify(b.text).slice(1, -1)}\``;
}

/**
 * Reads and parses the replay file at `path`: a regular file within {@link MAX_REPLAY_BYTES}
 * holding at least one timestamp, else a {@link ValueError} quoting the first bad line.
 */
export function readReplayFile(path: string): ReplayRows {
  checkInputFile(path, 'replay file', MAX_REPLAY_BYTES);
  const rows = parseReplayRows(readFileSync(path, 'utf8'));
  if (rows.times.length === 0)
    throw new ValueError(
      `replay file ${path} has no parsable rows (arrival times in seconds, one per line)` +
        (rows.firstBad ? `; first bad ${describeBadRow(rows.firstBad)}` : ': it is empty'),
    );
  return rows;
}

/** Why the replay file at `path` cannot be used, or undefined when it can. */
export function replayProblem(path: string): string | undefined {
  if (!existsSync(path)) return `replay file not found: ${path}`;
  try {
    readReplayFile(path);
    return undefined;
  } catch (e) {
    if (e instanceof ValueError) return e.message;
    return `cannot read replay file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
  }
}
