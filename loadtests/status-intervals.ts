/**
 * Responses per status code (and failures per cause) in each timeline interval of a load run, for
 * every journey kind, single request or flow. Bounded: past {@link MAX_CODES} distinct keys the rest
 * count as `other`, so a target answering with many odd codes cannot grow the result without limit.
 */
import type { StatusTimeline } from '../results/run-result.js';

/** Distinct codes kept per run; later ones are counted under `other`. */
export const MAX_CODES = 12;

/** The key a failure cause counts under: `status_503` → `503`, socket causes by name (`refused`). */
export function codeOfCause(cause: string): string {
  return /^status_\d{3}$/.test(cause) ? cause.slice(7) : cause;
}

/** Per-interval counts by code; intervals are closed in order by {@link close}. */
export class StatusIntervals {
  /** Closed intervals, each a plain `{code: count}` object (crosses `postMessage`). */
  readonly closed: Record<string, number>[] = [];
  private current: Record<string, number> = Object.create(null);
  private readonly seen = new Set<string>();

  /** Counts `n` responses (or failures) under `code` in the open interval. */
  add(code: string, n = 1): void {
    const key = this.keyOf(code);
    this.current[key] = (this.current[key] ?? 0) + n;
  }

  private keyOf(code: string): string {
    if (this.seen.has(code)) return code;
    const key = this.seen.size >= MAX_CODES ? 'other' : code;
    this.seen.add(key);
    return key;
  }

  /** Closes the open interval. */
  close(): void {
    this.closed.push(this.current);
    this.current = Object.create(null);
  }

  /**
   * Adds another thread's closed intervals, interval by interval (exact: counts sum); `length` pads
   * with empty intervals so the next {@link close} lines up with the merged timeline.
   */
  mergeClosed(others: readonly Record<string, number>[], length = 0): void {
    while (this.closed.length < Math.max(length, others.length)) this.closed.push(Object.create(null));
    others.forEach((iv, i) => {
      for (const [code, n] of Object.entries(iv)) {
        const key = this.keyOf(code);
        this.closed[i][key] = (this.closed[i][key] ?? 0) + n;
      }
    });
  }

  /** The closed intervals as a timeline with one series per code (sorted), or undefined when empty. */
  timeline(interval: number, t: readonly number[]): StatusTimeline | undefined {
    const keys = [...new Set(this.closed.flatMap((iv) => Object.keys(iv)))].sort();
    if (keys.length === 0) return undefined;
    const codes: Record<string, number[]> = {};
    // defineProperty: a cause named `__proto__` stays a plain key instead of a prototype.
    for (const k of keys)
      Object.defineProperty(codes, k, {
        value: t.map((_, i) => this.closed[i]?.[k] ?? 0),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return { interval, t: [...t], codes };
  }
}
