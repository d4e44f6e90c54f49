/**
 * The skip curve of a listener: the share of plays abandoned by each point of playback, written as
 * `'5s: 24%, 30s: 35%, end: 49%'` — cumulative shares at positions from the track's start, the last
 * one at `end` (the share of plays skipped before the track ends). Between the points the curve is
 * linear in time, from `0s: 0%` to `end` at the track's own length; a point past a short track's end
 * is dropped for that track. `none` (the default) means every play runs to its end.
 */
import { parseDuration, parseShare } from './units.js';
import { ValueError } from './value-error.js';

/** A parsed skip curve: positions (seconds) and cumulative shares, then the share skipped in all. */
export interface SkipCurve {
  at: number[];
  share: number[];
  /** Share of plays skipped before the end (0: none). */
  end: number;
}

/** Every play to its end. */
export const NO_SKIPS: SkipCurve = { at: [], share: [], end: 0 };

/** Points beyond this are refused: a skip curve is a handful of measured anchors. */
const MAX_POINTS = 32;
const USAGE = "e.g. '5s: 24%, 30s: 35%, end: 49%'";

/** Parses a skip curve (see the module comment); throws {@link ValueError} with a message for people. */
export function parseSkipCurve(text: string | number): SkipCurve {
  const t = String(text).trim();
  if (t === 'none') return NO_SKIPS;
  const parts = t.split(',');
  if (t === '' || parts.length > MAX_POINTS)
    throw new ValueError(`bad skip curve: expected up to ${MAX_POINTS} \`position: share\` points, ${USAGE}`);
  const at: number[] = [];
  const share: number[] = [];
  let end: number | undefined;
  for (const part of parts) {
    const m = /^\s*([^:]+?)\s*:\s*(.+?)\s*$/.exec(part);
    if (m === null)
      throw new ValueError(`bad skip point \`${part.trim()}\`: expected \`position: share\`, ${USAGE}`);
    if (end !== undefined) throw new ValueError('bad skip curve: `end` must be the last point');
    const s = parseShare(m[2]);
    const prev = share.length ? share[share.length - 1] : 0;
    if (s < prev)
      throw new ValueError(`bad skip curve: shares must not fall (\`${m[2]}\` after ${prev * 100}%)`);
    if (m[1] === 'end') {
      end = s;
      continue;
    }
    const p = parseDuration(m[1]);
    if (!(p > 0) || (at.length && p <= at[at.length - 1]))
      throw new ValueError(`bad skip curve: positions must be positive and rising, got \`${m[1]}\``);
    at.push(p);
    share.push(s);
  }
  if (end === undefined) throw new ValueError(`bad skip curve: the last point must be \`end\`, ${USAGE}`);
  return { at, share, end };
}
